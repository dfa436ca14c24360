"""The minutes as one readable HTML page: one anchor per paragraph, grouped by speaker turn with
name and role, sections as headings, a table of contents, the target paragraph highlighted."""

from __future__ import annotations

import html

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff;line-height:1.55}
h1{font-size:1.4rem} h2{font-size:1.15rem;border-bottom:2px solid #1f4e79;color:#1f4e79;margin-top:2rem}
nav{background:#f2f5f8;padding:.5rem 1rem;border-radius:6px} nav ul{columns:2;margin:.3rem 0}
.turn{margin:1rem 0;padding-left:.8rem;border-left:4px solid #c9d6e3} .who{font-weight:600;color:#1f4e79}
.role{font-weight:400;color:#404040} .p{margin:.4rem 0;padding:.3rem .5rem;border-radius:4px;position:relative}
.p:target,.p.target{background:#fff3b0;outline:3px solid #b8860b} .label{color:#555;font-size:.8rem;margin-right:.4rem}
.slide{font-family:ui-monospace,monospace;font-size:.9rem;background:#f4f4f4;border:1px dashed #888;white-space:pre-wrap}
.table{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:.85rem;background:#f4f4f4;overflow-x:auto}
.front_matter,.annex{color:#404040;font-style:italic;white-space:pre-wrap}
.copy{font-size:.75rem;border:1px solid #1f4e79;background:#fff;color:#1f4e79;border-radius:3px;cursor:pointer;margin-left:.4rem}
.kind{font-size:.75rem;background:#555;color:#fff;padding:0 .3rem;border-radius:3px;margin-right:.4rem}
@media (max-width:40rem){nav ul{columns:1} body{padding:.5rem}}
"""

SCRIPT = """
function mark(){document.querySelectorAll('.p.target').forEach(e=>e.classList.remove('target'));
 const id=decodeURIComponent(location.hash.slice(1)); const el=id&&document.getElementById(id);
 if(el){el.classList.add('target'); el.scrollIntoView({block:'center'}); el.focus();}}
window.addEventListener('hashchange',mark); window.addEventListener('load',mark);
document.addEventListener('click',e=>{const b=e.target.closest('.copy'); if(b){navigator.clipboard&&navigator.clipboard.writeText(b.dataset.id); b.textContent='copied';}});
"""


def render_document(info, paragraphs, speakers: dict) -> str:
    e = html.escape
    sections, people, body = [], [], []
    section, turn, open_turn, opened = None, None, False, set()
    for p in paragraphs:
        if p.section != section or p.turn != turn:
            if open_turn:
                body.append("</div>")
                open_turn = False
        if p.section != section:
            section = p.section
            anchor = f"s{len(sections) + 1}"
            sections.append((anchor, section or "Beginning"))
            body.append(f'<h2 id="{anchor}">{e(section or "Beginning")}</h2>')
        if p.turn != turn or (p.turn >= 0 and not open_turn):
            turn = p.turn
            if p.turn >= 0:
                role = f' <span class="role">— {e(p.role)}</span>' if p.role else ""
                again = p.turn in opened  # a turn interrupted by an editor's note goes on
                ident = "" if again else f' id="t{p.turn}"'
                body.append(f'<div class="turn"{ident}><div class="who">{e(p.speaker)}{role}{" (continued)" if again else ""}</div>')
                opened.add(p.turn)
                open_turn = True
                if p.speaker not in {n for _, n in people}:
                    people.append((f"t{p.turn}", p.speaker))
        kind = "" if p.kind == "speech" else f'<span class="kind">{e(p.kind.replace("_", " "))}</span>'
        body.append(
            f'<div class="p {e(p.kind)}" id="{e(p.id.partition("#")[2])}" tabindex="-1">'
            f'<span class="label">{e(p.label)}</span>{kind}{e(p.text)}'
            f'<button class="copy" data-id="{e(p.id)}" aria-label="Copy paragraph id {e(p.id)}">copy id</button></div>'
        )
    if open_turn:
        body.append("</div>")
    meta = " · ".join(e(x) for x in (info.date, info.venue, info.organiser) if x)
    toc = "".join(f'<li><a href="#{a}">{e(t)}</a></li>' for a, t in sections)
    who = "".join(f'<li><a href="#{a}">{e(n)}</a> <span class="role">{e(speakers.get(n, {}).get("role", ""))}</span></li>' for a, n in people)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(info.title)}</title><style>{STYLE}</style></head><body>"
        f'<p><a href="/">← Back to the chat</a></p><h1>{e(info.title)}</h1><p>{meta}</p>'
        f'<nav aria-label="Contents"><strong>Sections</strong><ul>{toc}</ul><strong>Speakers</strong><ul>{who}</ul></nav>'
        f'<main>{"".join(body)}</main><script>{SCRIPT}</script></body></html>'
    )
