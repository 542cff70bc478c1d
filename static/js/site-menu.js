/* Phones: the header's menu button shows and hides the navigation, the search and the
   account links (a disclosure: aria-expanded on the button). Without this script the button
   stays hidden and everything is shown as it is. */
(function () {
    "use strict";

    function start() {
        var header = document.querySelector("[data-site-header]");
        var button = header && header.querySelector("[data-menu-button]");
        if (!button) {
            return;
        }
        header.classList.add("site-header--menu");
        button.hidden = false;
        button.addEventListener("click", function () {
            var open = button.getAttribute("aria-expanded") !== "true";
            button.setAttribute("aria-expanded", open ? "true" : "false");
            header.classList.toggle("site-header--open", open);
        });
        header.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
                button.click();
                button.focus();
            }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
