"""SVG visualizer for beacon-estimate: hidden beacons, query points and final estimates.

output_text is what the solution printed (its query lines and, if it got there, the answer).
"""

from xml.sax.saxutils import escape


def _colour(i: int) -> str:
    return f"hsl({(i * 137) % 360},70%,42%)"


def render(input_text: str, output_text: str) -> str:
    lines = input_text.split("\n")
    head = lines[0].split()
    n, qmax, sigma, cost = int(head[0]), int(head[1]), head[2], head[3]
    beacons = [tuple(int(v) for v in lines[2 + i].split()) for i in range(n)]
    queries = []
    est = None
    for ln in output_text.splitlines():
        t = ln.split()
        try:
            if len(t) == 4 and t[0] == "?":
                i, x, y = int(t[1]), int(t[2]), int(t[3])
                if 0 <= i < n:
                    queries.append((i, x, y))
            elif t and t[0] == "!" and len(t) == 1 + 2 * n:
                est = [(float(t[1 + 2 * i]), float(t[2 + 2 * i])) for i in range(n)]
        except ValueError:
            continue
    size, pad = 800, 20
    sc = size / 1000.0

    def p(x, y):
        return pad + x * sc, pad + (1000 - y) * sc

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 2 * pad}" height="{size + 2 * pad + 30}">',
        f'<rect x="0" y="0" width="{size + 2 * pad}" height="{size + 2 * pad + 30}" fill="white"/>',
        f'<rect x="{pad}" y="{pad}" width="{size}" height="{size}" fill="none" stroke="#999"/>',
    ]
    for i, x, y in queries:
        cx, cy = p(x, y)
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="1.5" fill="{_colour(i)}" opacity="0.5"/>')
    err = 0.0
    for i, (bx, by) in enumerate(beacons):
        cx, cy = p(bx, by)
        out.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="none" stroke="{_colour(i)}" stroke-width="2">'
            f"<title>beacon {i}: ({bx}, {by})</title></circle>"
        )
        if est is not None:
            ex, ey = est[i]
            err += ((ex - bx) ** 2 + (ey - by) ** 2) ** 0.5
            qx, qy = p(min(1100.0, max(-100.0, ex)), min(1100.0, max(-100.0, ey)))
            out.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{qx:.1f}" y2="{qy:.1f}" stroke="red" stroke-width="1"/>')
            out.append(
                f'<path d="M{qx - 4:.1f},{qy - 4:.1f} L{qx + 4:.1f},{qy + 4:.1f} M{qx - 4:.1f},{qy + 4:.1f} '
                f'L{qx + 4:.1f},{qy - 4:.1f}" stroke="black" stroke-width="1.5">'
                f"<title>estimate {i}: ({ex:.1f}, {ey:.1f})</title></path>"
            )
    info = f"N={n} sigma={sigma} C={cost} queries={len(queries)}/{qmax}"
    info += f" error={err:.1f}" if est is not None else " (no answer)"
    out.append(f'<text x="{pad}" y="{size + 2 * pad + 18}" font-family="monospace" font-size="14">{escape(info)}</text>')
    out.append("</svg>")
    return "\n".join(out)
