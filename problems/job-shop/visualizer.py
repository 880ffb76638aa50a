"""SVG visualizer for job-shop: a Gantt chart per worker; colour = machine, red outline = late."""

from xml.sax.saxutils import escape


def _colour(m: int) -> str:
    return "#bbb" if m == 0 else f"hsl({(m * 137) % 360},65%,55%)"


def render(input_text: str, output_text: str) -> str:
    lines = input_text.split("\n")
    n, w, k = map(int, lines[0].split())
    tasks = []
    for i in range(n):
        t = list(map(int, lines[1 + i].split()))
        tasks.append((t[0], t[1], t[2 : 2 + w]))
    sched = {}
    for i, ln in enumerate(output_text.split("\n")[:n]):
        t = ln.split()
        try:
            wi, si = int(t[0]), int(t[1])
        except (ValueError, IndexError):
            continue
        if 1 <= wi <= w and tasks[i][2][wi - 1] > 0 and si >= 0:
            sched[i] = (wi, si, si + tasks[i][2][wi - 1])
    horizon = max([e for _, _, e in sched.values()] + [max(t[1] for t in tasks), 1])
    width, left, row, top = 1000, 60, 22, 10
    height = top + w * row + 50
    sx = (width - left - 10) / horizon
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>',
    ]
    for j in range(w):
        y = top + j * row
        out.append(f'<text x="4" y="{y + 15}" font-family="monospace" font-size="12">W{j + 1}</text>')
        out.append(f'<line x1="{left}" y1="{y + row}" x2="{width - 10}" y2="{y + row}" stroke="#eee"/>')
    late = 0
    makespan = 0
    tard = 0
    for i, (wi, s, e) in sched.items():
        m, d, _ = tasks[i]
        is_late = e > d
        late += is_late
        tard += max(0, e - d)
        makespan = max(makespan, e)
        y = top + (wi - 1) * row + 2
        stroke = ' stroke="red" stroke-width="1.5"' if is_late else ' stroke="#333" stroke-width="0.3"'
        out.append(
            f'<rect x="{left + s * sx:.2f}" y="{y}" width="{max(0.5, (e - s) * sx):.2f}" height="{row - 4}" '
            f'fill="{_colour(m)}"{stroke}><title>task {i + 1}: [{s}, {e}) machine {m} deadline {d}</title></rect>'
        )
    info = f"N={n} W={w} K={k} scheduled={len(sched)}/{n} makespan={makespan} tardiness={tard} late={late}"
    out.append(f'<text x="{left}" y="{height - 15}" font-family="monospace" font-size="13">{escape(info)}</text>')
    out.append("</svg>")
    return "\n".join(out)
