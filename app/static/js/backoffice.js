// Back-office behaviours: keyboard shortcuts, bulk selection, row filters, the product picker. No inline scripts (CSP).
(function () {
  "use strict";
  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }
  // "/" focuses the list filter, "n" opens (or focuses) the new-record form; never while typing.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var target = null;
    if (event.key === "/") target = document.querySelector("[data-shortcut=filter]");
    else if (event.key === "n") target = document.querySelector("[data-shortcut=new]");
    if (!target) return;
    event.preventDefault();
    if (target.tagName === "A") {
      var href = target.getAttribute("href") || "";
      if (href.charAt(0) === "#") {
        var section = document.querySelector(href);
        var first = section && section.querySelector("input:not([type=hidden]), select, textarea");
        if (first) first.focus();
      } else {
        window.location.assign(href);
      }
    } else {
      target.focus();
      if (target.select) target.select();
    }
  });
  // Bulk selection: a select-all box and a live count of the selected rows.
  function refreshCount(form) {
    var boxes = form.querySelectorAll("input[type=checkbox][name=ids]");
    var picked = form.querySelectorAll("input[type=checkbox][name=ids]:checked").length;
    var out = form.querySelector("[data-selected-count]");
    if (out) out.textContent = picked ? "(" + picked + "/" + boxes.length + ")" : "";
    var all = form.querySelector("[data-check-all]");
    if (all) {
      all.checked = picked > 0 && picked === boxes.length;
      all.indeterminate = picked > 0 && picked < boxes.length;
    }
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    var form = el.closest && el.closest("[data-bulk]");
    if (!form) return;
    if (el.hasAttribute("data-check-all")) {
      form.querySelectorAll("input[type=checkbox][name=ids]").forEach(function (b) { b.checked = el.checked; });
    }
    refreshCount(form);
  });
  function initBulk(root) { root.querySelectorAll("[data-bulk]").forEach(refreshCount); }
  // Short lists filter their rows as you type (no request).
  document.addEventListener("input", function (event) {
    var el = event.target;
    var selector = el.getAttribute && el.getAttribute("data-filter-rows");
    if (!selector) return;
    var words = el.value.toLowerCase().trim();
    document.querySelectorAll(selector + " tbody tr").forEach(function (tr) {
      tr.classList.toggle("is-filtered-out", words !== "" && tr.textContent.toLowerCase().indexOf(words) === -1);
    });
  });
  // The product picker: ticking a search result keeps it in the chosen list when the results change.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.hasAttribute || !el.hasAttribute("data-picker-choice") || !el.checked) return;
    var picker = el.closest("[data-picker]");
    var chosen = picker && picker.querySelector("[data-picker-chosen]");
    var item = el.closest("li");
    if (!chosen || !item) return;
    el.removeAttribute("data-picker-choice");
    chosen.appendChild(item);
  });
  // Validation errors come back as 400 with the form re-rendered: show them instead of dropping the answer.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("DOMContentLoaded", function () { initBulk(document); });
  document.addEventListener("htmx:afterSwap", function (event) { initBulk(event.detail.target || document); });
})();
