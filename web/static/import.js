// /board/import/<draft>: the deadline parser's reading beside each deadline field, as it is typed.
for (const input of document.querySelectorAll("input.deadline")) {
  const show = () => fetch("/board/import/deadline?phrase=" + encodeURIComponent(input.value) + "&year=" + input.dataset.year)
    .then(r => r.json()).then(j => { input.nextElementSibling.textContent = j.text; });
  input.addEventListener("input", show);
  if (input.value) show();
}
