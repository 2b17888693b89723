// Filters apply as soon as a box is ticked; without this script the Apply button does it.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && (event.target.type === "checkbox" || event.target.type === "radio")) {
    form.requestSubmit();
  }
});
