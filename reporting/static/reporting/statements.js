/* Statements list: while any statement is queued or rendering, ask for their status every
   two seconds and update the rows in place (status, progress, figures, download link). */
(function () {
    "use strict";

    var table = document.querySelector("[data-statements]");
    if (!table) {
        return;
    }
    var note = document.querySelector("[data-live-note]");
    var url = table.getAttribute("data-status-url");

    function busyRows() {
        return Array.prototype.filter.call(table.querySelectorAll("tr[data-statement]"), function (row) {
            var status = row.getAttribute("data-status");
            return status === "queued" || status === "rendering";
        });
    }

    function update(row, info) {
        row.setAttribute("data-status", info.status);
        row.querySelector("[data-label]").textContent =
            info.label + (info.status === "rendering" ? " " + info.progress + "%" : "");
        var progress = row.querySelector("[data-progress]");
        progress.value = info.progress;
        progress.textContent = info.progress + "%";
        progress.hidden = !(info.status === "queued" || info.status === "rendering");
        var error = row.querySelector("[data-error]");
        error.textContent = info.error;
        error.hidden = !info.error;
        row.querySelector("[data-lines]").textContent = info.lines;
        row.querySelector("[data-pages]").textContent = info.pages;
        row.querySelector("[data-total]").textContent = info.total === null ? "—" : info.total;
        var sha = row.querySelector("[data-sha]");
        sha.textContent = info.sha256.slice(0, 12);
        sha.title = info.sha256;
        var download = row.querySelector("[data-download]");
        download.hidden = !info.download_url;
        if (info.download_url) {
            download.href = info.download_url;
        }
    }

    function poll() {
        var rows = busyRows();
        if (!rows.length) {
            return;
        }
        var ids = rows.map(function (row) { return row.getAttribute("data-statement"); });
        fetch(url + "?ids=" + ids.join(","), { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) { return response.ok ? response.json() : { statements: [] }; })
            .then(function (data) {
                data.statements.forEach(function (info) {
                    var row = table.querySelector('tr[data-statement="' + info.id + '"]');
                    if (row) {
                        update(row, info);
                    }
                });
                var left = busyRows().length;
                if (note) {
                    note.textContent = left ? left + " statement(s) still rendering…" : "All statements are finished.";
                }
                window.setTimeout(poll, 2000);
            })
            .catch(function () { window.setTimeout(poll, 5000); });
    }

    window.setTimeout(poll, 1000);
})();
