"""SVG visualizer for oil-probe: the hidden oil (brown shades), surveyed rectangles (dashed
blue), drilled cells (black dot) and the last answer (green ring = right, red ring = wrong)."""

SIZE = 640


def _hidden(input_text):
    lines = input_text.strip().split("\n")
    n, m, sigma = lines[0].split()
    n, m = int(n), int(m)
    v = [[int(x) for x in lines[2 + m + i].split()] for i in range(n)]
    return n, m, sigma, v


def render(input_text: str, output_text: str) -> str:
    n, m, sigma, v = _hidden(input_text)
    cs = SIZE / n
    drilled, surveys, answer = set(), [], None
    counts = {"d": 0, "s": 0, "a": 0}
    for line in (output_text or "").split("\n"):
        tok = line.split()
        if not tok or tok[0] not in counts:
            continue
        try:
            nums = [int(t) for t in tok[1:]]
        except ValueError:
            continue
        if tok[0] == "d" and len(nums) == 2:
            drilled.add(tuple(nums))
        elif tok[0] == "s" and len(nums) == 4:
            surveys.append(nums)
        elif tok[0] == "a" and nums and len(nums) == 1 + 2 * nums[0]:
            answer = {(nums[1 + 2 * q], nums[2 + 2 * q]) for q in range(nums[0])}
        else:
            continue
        counts[tok[0]] += 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE + 20}" height="{SIZE + 50}" '
           f'viewBox="-10 -10 {SIZE + 20} {SIZE + 50}">']
    top = max(1, max(max(row) for row in v))
    for i in range(n):
        for j in range(n):
            x = v[i][j] / top
            fill = "rgb(245,245,235)" if v[i][j] == 0 else f"rgb({int(200 - 120 * x)},{int(150 - 100 * x)},{int(90 - 70 * x)})"
            out.append(f'<rect x="{j * cs:.2f}" y="{i * cs:.2f}" width="{cs:.2f}" height="{cs:.2f}" fill="{fill}" '
                       f'stroke="#ccc" stroke-width="0.5"><title>({i},{j}) v={v[i][j]}</title></rect>')
    for i0, j0, i1, j1 in surveys:
        out.append(f'<rect x="{j0 * cs + 2:.2f}" y="{i0 * cs + 2:.2f}" width="{max(0, (j1 - j0 + 1) * cs - 4):.2f}" '
                   f'height="{max(0, (i1 - i0 + 1) * cs - 4):.2f}" fill="none" stroke="blue" '
                   f'stroke-dasharray="4 3" stroke-width="1"/>')
    for i, j in drilled:
        out.append(f'<circle cx="{(j + 0.5) * cs:.2f}" cy="{(i + 0.5) * cs:.2f}" r="{cs / 8:.2f}" fill="black"/>')
    if answer is not None:
        for i in range(n):
            for j in range(n):
                said, truth = (i, j) in answer, v[i][j] > 0
                if said or truth:
                    colour = "green" if said == truth else "red"
                    out.append(f'<circle cx="{(j + 0.5) * cs:.2f}" cy="{(i + 0.5) * cs:.2f}" r="{cs / 3:.2f}" '
                               f'fill="none" stroke="{colour}" stroke-width="2"/>')
    out.append(f'<text x="0" y="{SIZE + 25}" font-family="monospace" font-size="15">N={n} M={m} sigma={sigma} '
               f'drills={counts["d"]} surveys={counts["s"]} answers={counts["a"]}</text>')
    out.append("</svg>")
    return "\n".join(out)
