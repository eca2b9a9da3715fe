// Page behaviours that templates ask for with data attributes, so that no page needs inline script or inline
// event handlers (the Content-Security-Policy allows scripts from this site's files only):
//   <select data-autosubmit>  submits its form when changed (language menu, filters);
//   <button data-print>       opens the print dialog.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.matches("[data-autosubmit]") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    event.preventDefault();
    window.print();
  }
});
