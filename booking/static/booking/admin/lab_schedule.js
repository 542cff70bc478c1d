/* The lab schedule's empty hours: a click (or Enter) opens a small menu to book the hour for
   a researcher or to block it, each link filled in with the instrument and the hour. Without
   this script an empty hour leads straight to "Book for a researcher". */
(function () {
    "use strict";

    var menu = document.getElementById("schedule-cell-menu");
    if (!menu) {
        return;
    }
    var title = menu.querySelector(".lab-schedule__menu-title");
    var bookFor = menu.querySelector("[data-menu-book-for]");
    var block = menu.querySelector("[data-menu-block]");
    var opener = null;

    function close(restoreFocus) {
        menu.hidden = true;
        if (restoreFocus && opener) {
            opener.focus();
        }
        opener = null;
    }

    function open(cell) {
        opener = cell;
        var label = cell.getAttribute("data-label");
        title.textContent = label;
        bookFor.href = cell.href;
        bookFor.setAttribute("aria-label", "Book " + label + " for a researcher");
        block.href = cell.getAttribute("data-block-url");
        block.setAttribute("aria-label", "Block " + label);
        var box = cell.getBoundingClientRect();
        var parent = menu.parentElement.getBoundingClientRect();
        menu.style.left = Math.max(0, box.left - parent.left) + "px";
        menu.style.top = (box.bottom - parent.top + 4) + "px";
        menu.hidden = false;
        bookFor.focus();
    }

    document.addEventListener("click", function (event) {
        var cell = event.target.closest("[data-schedule-cell]");
        if (cell) {
            event.preventDefault();
            open(cell);
        } else if (!menu.hidden && !menu.contains(event.target)) {
            close(false);
        }
    });
    menu.querySelector("[data-menu-close]").addEventListener("click", function () {
        close(true);
    });
    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && !menu.hidden) {
            close(true);
        }
    });
})();
