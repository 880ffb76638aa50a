"""SVG visualizer for delivery-route: depot, cafés (size ~ demand) and each trip in its own colour."""

from xml.sax.saxutils import escape


def _colour(k: int) -> str:
    return f"hsl({(k * 137) % 360},70%,45%)"


def render(input_text: str, output_text: str) -> str:
    tok = input_text.split()
    n, q = int(tok[0]), int(tok[1])
    pts = [(int(tok[2]), int(tok[3]), 0)]
    for i in range(1, n + 1):
        pts.append((int(tok[1 + 3 * i]), int(tok[2 + 3 * i]), int(tok[3 + 3 * i])))
    routes = []
    note = ""
    try:
        lines = [ln.split() for ln in output_text.splitlines() if ln.split()]
        r = int(lines[0][0]) if lines else 0
        for ln in lines[1 : 1 + r]:
            cs = [int(c) for c in ln[1:] if c.lstrip("-").isdigit() and 1 <= int(c) <= n]
            routes.append(cs)
    except (ValueError, IndexError):
        note = "output could not be fully parsed"
    size, pad = 800, 20
    sc = size / 1000.0

    def p(i):
        return pad + pts[i][0] * sc, pad + (1000 - pts[i][1]) * sc

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 2 * pad}" height="{size + 2 * pad + 30}">',
        f'<rect x="0" y="0" width="{size + 2 * pad}" height="{size + 2 * pad + 30}" fill="white"/>',
    ]
    total = 0.0
    for k, cs in enumerate(routes):
        if not cs:
            continue
        seq = [0] + cs + [0]
        coords = " ".join(f"{p(i)[0]:.1f},{p(i)[1]:.1f}" for i in seq)
        load = sum(pts[c][2] for c in cs)
        for a, b in zip(seq, seq[1:]):
            total += ((pts[a][0] - pts[b][0]) ** 2 + (pts[a][1] - pts[b][1]) ** 2) ** 0.5
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{_colour(k)}" stroke-width="1.5">'
            f"<title>trip {k + 1}: {len(cs)} cafés, load {load}/{q}</title></polyline>"
        )
    for i in range(1, n + 1):
        x, y = p(i)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{1.5 + pts[i][2] * 0.35:.1f}" fill="#333">'
            f"<title>café {i}: demand {pts[i][2]}</title></circle>"
        )
    x, y = p(0)
    parts.append(f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="red"><title>depot</title></rect>')
    info = f"N={n} Q={q} trips={len(routes)} length={total:.1f}"
    if note:
        info += f" ({note})"
    parts.append(f'<text x="{pad}" y="{size + 2 * pad + 18}" font-family="monospace" font-size="14">{escape(info)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
