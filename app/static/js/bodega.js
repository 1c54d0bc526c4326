// Small behaviours shared by every page; no inline scripts (the CSP forbids them).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Phone-width tables read as cards: label each cell with its column heading.
  function labelTables(root) {
    root.querySelectorAll("table.stack-phone").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (heads[i] && !td.hasAttribute("data-label")) td.setAttribute("data-label", heads[i]);
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { labelTables(document); });
  document.addEventListener("htmx:afterSwap", function (event) { labelTables(event.detail.target || document); });
  // No double posts: disable a form's submit buttons while it is being sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    }, 0);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var el = event.detail.elt;
    if (el && el.tagName === "FORM") {
      el.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; b.setAttribute("aria-busy", "true"); });
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail.elt;
    if (el && el.tagName === "FORM") {
      el.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
    }
  });
  // The language picker changes on selection; its button stays for keyboard and no-JS users.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]")) el.form.requestSubmit();
  });
  // Menus: a button with aria-controls toggles the element it names.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-toggle]");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) return;
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    target.classList.toggle("is-open", !open);
  });
})();
