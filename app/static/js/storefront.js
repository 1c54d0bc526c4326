// Storefront catalogue behaviours; no inline scripts (the CSP forbids them). Everything works without it.
(function () {
  "use strict";
  // "Show N products" closes the phone filter panel and brings the results into view.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-filters-close]");
    if (!button) return;
    var panel = document.getElementById("filter-panel");
    var toggle = document.querySelector("[aria-controls='filter-panel'][data-toggle]");
    if (panel) panel.classList.remove("is-open");
    if (toggle) toggle.setAttribute("aria-expanded", "false");
    var results = document.querySelector(".results");
    if (results) results.scrollIntoView({ block: "start" });
  });
})();
