"""SVG visualizer for grid-harvest: capacities as green shades, rocks grey, the robot's walk as a
polyline fading from blue (early) to red (late). Invalid moves end the drawn walk."""

SIZE = 800
STEP = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}


def render(input_text: str, output_text: str) -> str:
    lines = input_text.split("\n")
    n, t_max, si, sj = (int(v) for v in lines[0].split())
    rock = [lines[1 + i].strip() for i in range(n)]
    cap = [[int(v) for v in lines[1 + n + i].split()] for i in range(n)]
    grow = [[int(v) for v in lines[1 + 2 * n + i].split()] for i in range(n)]
    cs = SIZE / n
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE + 20}" height="{SIZE + 50}" '
           f'viewBox="-10 -10 {SIZE + 20} {SIZE + 50}">']
    for i in range(n):
        for j in range(n):
            if rock[i][j] == "#":
                fill = "rgb(110,110,110)"
            else:
                v = cap[i][j] / 100.0
                fill = f"rgb({int(240 - 200 * v)},{int(250 - 90 * v)},{int(240 - 200 * v)})"
            out.append(f'<rect x="{j * cs:.2f}" y="{i * cs:.2f}" width="{cs:.2f}" height="{cs:.2f}" fill="{fill}" '
                       f'stroke="white" stroke-width="0.3"><title>({i},{j}) c={cap[i][j]} g={grow[i][j]}</title></rect>')
    # replay the walk
    moves = ""
    for line in (output_text or "").split("\n"):
        if line.strip():
            moves = line.strip()
            break
    i, j = si, sj
    pts = [(i, j)]
    last = {(i, j): 0}
    total = cap[i][j]
    for t, ch in enumerate(moves[:t_max], start=1):
        d = STEP.get(ch)
        if d is None:
            break
        a, b = i + d[0], j + d[1]
        if not (0 <= a < n and 0 <= b < n) or rock[a][b] == "#":
            break
        i, j = a, b
        h = last.get((i, j))
        total += cap[i][j] if h is None else min(cap[i][j], grow[i][j] * (t - h))
        last[(i, j)] = t
        pts.append((i, j))
    k = len(pts) - 1
    for s in range(k):
        (a, b), (c, d) = pts[s], pts[s + 1]
        f = s / max(1, k - 1)
        out.append(f'<line x1="{(b + 0.5) * cs:.2f}" y1="{(a + 0.5) * cs:.2f}" x2="{(d + 0.5) * cs:.2f}" '
                   f'y2="{(c + 0.5) * cs:.2f}" stroke="rgb({int(255 * f)},40,{int(255 * (1 - f))})" '
                   f'stroke-width="{max(1.0, cs / 8):.2f}" stroke-opacity="0.5" stroke-linecap="round"/>')
    out.append(f'<circle cx="{(sj + 0.5) * cs:.2f}" cy="{(si + 0.5) * cs:.2f}" r="{cs / 3:.2f}" fill="blue"/>')
    out.append(f'<circle cx="{(j + 0.5) * cs:.2f}" cy="{(i + 0.5) * cs:.2f}" r="{cs / 3:.2f}" fill="red"/>')
    out.append(f'<text x="0" y="{SIZE + 25}" font-family="monospace" font-size="16">N={n} T={t_max} '
               f'moves shown={k}/{len(moves)} fruit={total}</text>')
    out.append("</svg>")
    return "\n".join(out)
