// Berth portal: the little script the pages need beyond htmx. No build step, no dependencies.
(function () {
  "use strict";
  var root = document.documentElement;
  var saved = window.localStorage ? localStorage.getItem("berth-theme") : null;
  if (saved === "dark" || saved === "light") {
    root.setAttribute("data-theme", saved);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-theme-toggle]");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var dark = root.getAttribute("data-theme") === "dark" ||
          (!root.hasAttribute("data-theme") && window.matchMedia("(prefers-color-scheme: dark)").matches);
        var next = dark ? "light" : "dark";
        root.setAttribute("data-theme", next);
        if (window.localStorage) {
          localStorage.setItem("berth-theme", next);
        }
      });
    }
  });

  // Every htmx request carries the session's CSRF token, as every form does in a hidden field.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.body.getAttribute("data-csrf");
    if (token) {
      event.detail.headers["X-CSRF-Token"] = token;
    }
  });
})();
