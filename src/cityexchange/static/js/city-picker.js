// City picker for the application form: suggestions by name in any script, keyboard accessible.
(function () {
  const input = document.getElementById("city-search");
  const list = document.getElementById("city-options");
  const hidden = document.querySelector("input[name=city]");
  if (!input || !list || !hidden) return;
  let timer = null;
  input.addEventListener("input", function () {
    hidden.value = "";
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { list.innerHTML = ""; return; }
    timer = setTimeout(async function () {
      const response = await fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q));
      const data = await response.json();
      list.innerHTML = "";
      for (const item of data.results) {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.tabIndex = 0;
        li.dataset.id = item.id;
        li.textContent = item.label;
        const choose = function () { hidden.value = item.id; input.value = item.label; list.innerHTML = ""; };
        li.addEventListener("click", choose);
        li.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); choose(); } });
        list.appendChild(li);
      }
    }, 200);
  });
})();
