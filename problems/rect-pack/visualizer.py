"""SVG visualizer for rect-pack: booths coloured by satisfaction, requested points as dots."""

from xml.sax.saxutils import escape

SIZE = 800


def _parse_input(input_text):
    tok = input_text.split()
    L, n = int(tok[0]), int(tok[1])
    req = [(int(tok[2 + 3 * i]), int(tok[3 + 3 * i]), int(tok[4 + 3 * i])) for i in range(n)]
    return L, req


def _parse_rects(output_text, n):
    rects = []
    for line in (output_text or "").splitlines()[:n]:
        parts = line.split()
        try:
            a, b, c, d = (int(p) for p in parts)
        except ValueError:
            break
        rects.append((a, b, c, d))
    return rects


def _sat(r, w, h):
    if w <= 0 or h <= 0:
        return 0.0
    s = w * h
    ratio = min(r, s) / max(r, s)
    p = 1.0 - (1.0 - ratio) ** 2
    if max(w, h) > 4 * min(w, h):
        p *= 0.5
    return p


def _color(p):
    # red (0) -> yellow (0.5) -> green (1)
    p = max(0.0, min(1.0, p))
    if p < 0.5:
        r, g = 230, int(60 + 340 * p)
    else:
        r, g = int(230 - 400 * (p - 0.5)), 230
    return f"rgb({max(r, 0)},{min(g, 230)},80)"


def render(input_text: str, output_text: str) -> str:
    L, req = _parse_input(input_text)
    n = len(req)
    k = SIZE / L
    rects = _parse_rects(output_text, n)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE + 20}" height="{SIZE + 50}" '
        f'viewBox="-10 -10 {SIZE + 20} {SIZE + 50}">',
        f'<rect x="0" y="0" width="{SIZE}" height="{SIZE}" fill="white" stroke="black"/>',
    ]
    total = 0.0
    for idx, (a, b, c, d) in enumerate(rects):
        x, y, r = req[idx]
        inside = a <= x < c and b <= y < d
        p = _sat(r, c - a, d - b) if inside else 0.0
        total += p
        parts.append(
            f'<rect x="{a * k:.2f}" y="{b * k:.2f}" width="{max(c - a, 0) * k:.2f}" '
            f'height="{max(d - b, 0) * k:.2f}" fill="{_color(p)}" fill-opacity="0.75" '
            f'stroke="black" stroke-width="0.5"><title>{escape(f"booth {idx + 1}: ({a},{b})-({c},{d}) area {(c - a) * (d - b)} / want {r}, p={p:.3f}")}</title></rect>')
    for idx, (x, y, r) in enumerate(req):
        parts.append(f'<circle cx="{(x + 0.5) * k:.2f}" cy="{(y + 0.5) * k:.2f}" r="2" fill="black">'
                     f'<title>request {idx + 1}: point ({x},{y}) area {r}</title></circle>')
    parts.append(f'<text x="0" y="{SIZE + 25}" font-family="monospace" font-size="16">'
                 f'n={n}  booths drawn={len(rects)}  score~{round(1e9 * total / n) if n else 0}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
