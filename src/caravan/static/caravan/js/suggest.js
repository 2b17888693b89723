// The header search's suggestions, which htmx fills as the buyer types: the list opens when
// there is something in it, arrow keys move through it, Enter opens the highlighted one,
// Escape or leaving the search box closes it. Without this script the list stays hidden
// and the form submits as always.
(() => {
  const box = document.getElementById("search-suggestions");
  const form = box && box.closest("form");
  const input = form && form.querySelector("input[aria-controls='search-suggestions']");
  if (!input) {
    return;
  }
  let active = -1;
  const options = () => Array.from(box.querySelectorAll("[role='option']"));

  const highlight = (index) => {
    const all = options();
    active = index;
    all.forEach((option, position) => {
      const chosen = position === index;
      option.setAttribute("aria-selected", chosen ? "true" : "false");
      option.classList.toggle("is-active", chosen);
      if (chosen) {
        option.scrollIntoView({ block: "nearest" });
      }
    });
    if (index >= 0 && all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const show = (open) => {
    box.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) {
      highlight(-1);
    }
  };

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target === box) {
      highlight(-1);
      // An answer arriving after the buyer has moved on stays closed.
      show(options().length > 0 && document.activeElement === input);
    }
  });

  input.addEventListener("keydown", (event) => {
    const all = options();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) {
        return;
      }
      event.preventDefault();
      if (box.hidden) {
        show(true);
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = active + step;
      highlight(next < -1 ? all.length - 1 : next >= all.length ? -1 : next);
    } else if (event.key === "Enter" && !box.hidden && active >= 0 && all[active]) {
      event.preventDefault();
      window.location.assign(all[active].href);
    } else if (event.key === "Escape" && !box.hidden) {
      // Closing the list, not clearing what was typed.
      event.preventDefault();
      show(false);
    }
  });

  input.addEventListener("focus", () => {
    if (options().length && input.value.trim()) {
      show(true);
    }
  });

  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      show(false);
      input.focus();
    }
  });

  // A click on a suggestion would otherwise blur the input and close the list first.
  box.addEventListener("mousedown", (event) => event.preventDefault());

  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget)) {
      show(false);
    }
  });
})();
