/* The instrument calendar's time grid: choose a start and an end by dragging down a free
   column, by clicking a free time (the usual length from there), or by keyboard (arrow keys
   move, Enter or Space choose the start and then the end, Escape starts again). The choice
   keeps to the resource's rules the grid carries (granularity rows, minimum and maximum
   length, never past the free stretch) and leads to the booking form filled in with it; the
   form and its service judge it as they judge any booking.
   Progressive enhancement only: without this script the grid stays hidden and the list of
   free times beside it works the same. */
(function () {
    "use strict";

    var root = document.querySelector("[data-time-grid]");
    var section = root && root.closest(".availability");
    if (!root || !section) {
        return;
    }
    var table = root.querySelector("table");
    var minimum = +root.getAttribute("data-min");
    var maximum = +root.getAttribute("data-max");
    var newUrl = root.getAttribute("data-new-url");
    var text = root.querySelector("[data-time-grid-text]");
    var book = root.querySelector("[data-time-grid-book]");
    var bookText = root.querySelector("[data-time-grid-book-text]");
    var WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"];

    // Wall-clock minutes of "2030-03-05T09:30", counted in UTC so no daylight-saving shift creeps in.
    function minutes(value) {
        var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || "");
        return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) / 60000 : null;
    }

    function pad(number) {
        return (number < 10 ? "0" : "") + number;
    }

    function iso(value) {
        var d = new Date(value * 60000);
        return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) +
            "T" + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
    }

    function clock(value) {
        var d = new Date(value * 60000);
        return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
    }

    function day(value) {
        var d = new Date(value * 60000);
        return WEEKDAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()];
    }

    function length(value) {
        var hours = Math.floor(value / 60);
        var rest = value % 60;
        var parts = [];
        if (hours) {
            parts.push(hours + (hours === 1 ? " hour" : " hours"));
        }
        if (rest) {
            parts.push(rest + (rest === 1 ? " minute" : " minutes"));
        }
        return parts.join(" ");
    }

    // The grid as columns of rows: each row of each column points at the cell covering it.
    var columns = [];
    var rowCount = table.tBodies[0].rows.length;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, index) {
        Array.prototype.forEach.call(row.querySelectorAll("td[data-col]"), function (cell) {
            var col = +cell.getAttribute("data-col");
            var span = cell.rowSpan || 1;
            columns[col] = columns[col] || [];
            cell.gridRow = index;
            cell.gridCol = col;
            for (var r = index; r < index + span; r += 1) {
                columns[col][r] = cell;
            }
        });
    });
    if (!columns.length) {
        return;
    }

    var focused = null;
    var anchor = null; // the chosen start cell, while the end is still to choose
    var dragging = false;
    var moved = false;
    var chosen = null; // {start, end} in wall-clock minutes

    function isStart(cell) {
        return cell && cell.hasAttribute("data-slot-end");
    }

    function focusCell(cell, move) {
        if (!cell) {
            return;
        }
        if (focused) {
            focused.tabIndex = -1;
        }
        focused = cell;
        cell.tabIndex = 0;
        if (move) {
            cell.focus();
        }
    }

    // The range from the anchor to `cell` the rules allow, or null.
    function rangeTo(cell) {
        if (!anchor || !cell || cell.gridCol !== anchor.gridCol) {
            return null;
        }
        var start = minutes(anchor.getAttribute("data-start"));
        var stretchEnd = minutes(anchor.getAttribute("data-stretch-end"));
        if (cell === anchor) {
            return {start: start, end: minutes(anchor.getAttribute("data-slot-end"))};
        }
        if (cell.getAttribute("data-stretch-end") !== anchor.getAttribute("data-stretch-end")) {
            return null; // another free stretch: something holds the time between
        }
        var cellStart = minutes(cell.getAttribute("data-start"));
        if (cellStart < start) {
            if (!isStart(cell)) {
                return null;
            }
            return clamp(cellStart, minutes(anchor.getAttribute("data-end")), stretchEnd);
        }
        return clamp(start, minutes(cell.getAttribute("data-end")), stretchEnd);
    }

    function clamp(start, end, stretchEnd) {
        end = Math.max(end, start + minimum);
        end = Math.min(end, start + maximum, stretchEnd);
        return end - start >= minimum ? {start: start, end: end} : null;
    }

    function paint(range) {
        var col = anchor ? anchor.gridCol : (chosen ? chosen.col : -1);
        root.querySelectorAll(".time-grid__cell--chosen").forEach(function (cell) {
            cell.classList.remove("time-grid__cell--chosen");
            cell.removeAttribute("aria-selected");
        });
        if (!range || col < 0) {
            return;
        }
        columns[col].forEach(function (cell) {
            var at = minutes(cell.getAttribute("data-start"));
            if (cell.classList.contains("time-grid__cell--free") && at >= range.start && at < range.end) {
                cell.classList.add("time-grid__cell--chosen");
                cell.setAttribute("aria-selected", "true");
            }
        });
    }

    function say(message) {
        text.textContent = message;
    }

    function describe(range) {
        return day(range.start) + ", " + clock(range.start) + "–" + clock(range.end) +
            " (" + length(range.end - range.start) + ")";
    }

    function begin(cell) {
        anchor = cell;
        chosen = null;
        book.hidden = true;
        var range = rangeTo(cell);
        paint(range);
        say("Start chosen: " + day(range.start) + ", " + clock(range.start) +
            ". Choose the end further down the same day, or choose the start again for " +
            length(range.end - range.start) + ".");
    }

    function commit(range, moveFocus) {
        chosen = {start: range.start, end: range.end, col: anchor.gridCol};
        paint(range);
        anchor = null;
        var query = "?start=" + iso(range.start) + "&end=" + iso(range.end);
        book.href = newUrl + query;
        bookText.textContent = "Book " + clock(range.start) + "–" + clock(range.end);
        book.hidden = false;
        say("Chosen: " + describe(range) + ".");
        if (moveFocus) {
            book.focus();
        }
    }

    function reset(message) {
        anchor = null;
        chosen = null;
        dragging = false;
        paint(null);
        book.hidden = true;
        say(message || "Nothing chosen yet.");
    }

    function choose(cell, moveFocus) {
        if (anchor) {
            var range = rangeTo(cell);
            if (range) {
                commit(range, moveFocus);
            } else if (isStart(cell)) {
                begin(cell);
            } else {
                say("That end is not possible from the chosen start: choose a free time further down the same day.");
            }
        } else if (isStart(cell)) {
            begin(cell);
        } else if (cell.hasAttribute("data-href")) {
            window.location.href = cell.getAttribute("data-href");
        } else {
            say("You can’t start a booking there: choose a free time.");
        }
    }

    // Keyboard.
    function neighbour(cell, rowStep, colStep) {
        var col = cell.gridCol + colStep;
        if (!columns[col]) {
            return cell;
        }
        var row = cell.gridRow;
        if (rowStep > 0) {
            row = cell.gridRow + (cell.rowSpan || 1);
        } else if (rowStep < 0) {
            row = cell.gridRow - 1;
        }
        row = Math.max(0, Math.min(rowCount - 1, row));
        return columns[col][row] || cell;
    }

    table.addEventListener("keydown", function (event) {
        var cell = event.target.closest("td[data-col]");
        if (!cell) {
            return;
        }
        var next = null;
        switch (event.key) {
        case "ArrowDown":
            next = neighbour(cell, 1, 0);
            break;
        case "ArrowUp":
            next = neighbour(cell, -1, 0);
            break;
        case "ArrowRight":
            next = neighbour(cell, 0, 1);
            break;
        case "ArrowLeft":
            next = neighbour(cell, 0, -1);
            break;
        case "Home":
            next = columns[cell.gridCol][0];
            break;
        case "End":
            next = columns[cell.gridCol][rowCount - 1];
            break;
        case "Enter":
        case " ":
            event.preventDefault();
            choose(cell, true);
            return;
        case "Escape":
            reset("Choice cleared.");
            return;
        default:
            return;
        }
        event.preventDefault();
        if (next) {
            focusCell(next, true);
            if (anchor) {
                paint(rangeTo(next) || rangeTo(anchor));
            }
        }
    });

    table.addEventListener("focusin", function (event) {
        var cell = event.target.closest("td[data-col]");
        if (cell && cell !== focused) {
            focusCell(cell, false);
        }
    });

    // Pointer: press on a free start, drag down (or up) the same day, release.
    function cellAt(event) {
        var element = document.elementFromPoint(event.clientX, event.clientY);
        return element && element.closest("td[data-col]");
    }

    table.addEventListener("pointerdown", function (event) {
        var cell = event.target.closest("td[data-col]");
        if (!cell || event.button !== 0) {
            return;
        }
        if (!isStart(cell)) {
            choose(cell, false);
            return;
        }
        event.preventDefault();
        focusCell(cell, true);
        begin(cell);
        dragging = true;
        moved = false;
    });

    document.addEventListener("pointermove", function (event) {
        if (!dragging) {
            return;
        }
        var cell = cellAt(event);
        var range = cell && rangeTo(cell);
        if (range && cell !== anchor) {
            moved = true;
            paint(range);
        }
    });

    document.addEventListener("pointerup", function (event) {
        if (!dragging) {
            return;
        }
        dragging = false;
        var cell = moved ? cellAt(event) : anchor;
        var range = rangeTo(cell) || rangeTo(anchor);
        commit(range, false);
    });

    // Show the grid (wide screens; the stylesheet keeps the list on phones).
    section.classList.add("availability--grid");
    root.hidden = false;
    var morning = table.querySelector("[data-scroll-to]");
    if (morning && morning !== table.tBodies[0].rows[0]) {
        var scroller = root.querySelector(".time-grid__scroll");
        scroller.scrollTop = morning.offsetTop - table.tHead.offsetHeight;
    }
    focusCell(root.querySelector(".time-grid__cell--start") || columns[0][0], false);
})();
