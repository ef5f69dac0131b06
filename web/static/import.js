// /board/import/<draft>: the deadline parser's reading beside each deadline field, as it is typed.
// Each keystroke asks again; only the answer to the latest phrase is shown (answers may arrive out
// of order, and an earlier phrase's reading must never stay beside a later one).
for (const input of document.querySelectorAll("input.deadline")) {
  let asked = 0;
  const show = () => {
    const mine = ++asked;
    fetch("/board/import/deadline?phrase=" + encodeURIComponent(input.value) + "&year=" + input.dataset.year)
      .then(r => r.json())
      .then(j => { if (mine === asked) input.nextElementSibling.textContent = j.text; });
  };
  input.addEventListener("input", show);
  if (input.value) show();
}
