function mark(){document.querySelectorAll('.p.target').forEach(e=>e.classList.remove('target'));
 const id=decodeURIComponent(location.hash.slice(1)); const el=id&&document.getElementById(id);
 if(el){el.classList.add('target'); el.scrollIntoView({block:'center'}); el.focus();}}
window.addEventListener('hashchange',mark); window.addEventListener('load',mark);
document.addEventListener('click',e=>{const b=e.target.closest('.copy'); if(b){navigator.clipboard&&navigator.clipboard.writeText(b.dataset.id); b.textContent='copied';}});
