// Filters apply as soon as a box is ticked; without this script the Apply button does it.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && (event.target.type === "checkbox" || event.target.type === "radio")) {
    form.requestSubmit();
  }
});

// Empty fields stay out of the address (?q=shoes, not ?q=shoes&price_min=&delivery=).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-autosubmit]")) {
    return;
  }
  for (const field of form.elements) {
    if (field.name && field.value === "" && (field.type !== "radio" || field.checked)) {
      field.disabled = true;
    }
  }
  // Back/forward restores the page from cache: give the fields back.
  setTimeout(() => {
    for (const field of form.elements) {
      field.disabled = false;
    }
  }, 0);
});
