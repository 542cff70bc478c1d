/* Booking form: when the start moves, the end moves with it, keeping the booking's length;
   when the times, the project or the repetition change, the estimate is asked for again
   (the server prices it, with the one pricing function).
   Progressive enhancement only: without this script the form works the same, and the
   estimate is brought up to date when the form is submitted. */
(function () {
    "use strict";

    var form = document.querySelector("[data-booking-form]");
    if (!form) {
        return;
    }
    var startDate = form.querySelector("[name=start_0]");
    var startTime = form.querySelector("[name=start_1]");
    var endDate = form.querySelector("[name=end_0]");
    var endTime = form.querySelector("[name=end_1]");
    if (!startDate || !startTime || !endDate || !endTime) {
        return;
    }

    function read(dateInput, timeInput) {
        var date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateInput.value);
        var time = /^(\d{2}):(\d{2})/.exec(timeInput.value);
        if (!date || !time) {
            return null;
        }
        // Wall-clock minutes, counted in UTC so that no daylight-saving shift creeps in.
        return Date.UTC(+date[1], +date[2] - 1, +date[3], +time[1], +time[2]) / 60000;
    }

    function pad(number) {
        return (number < 10 ? "0" : "") + number;
    }

    function write(minutes) {
        var moment = new Date(minutes * 60000);
        endDate.value = moment.getUTCFullYear() + "-" + pad(moment.getUTCMonth() + 1) + "-" + pad(moment.getUTCDate());
        endTime.value = pad(moment.getUTCHours()) + ":" + pad(moment.getUTCMinutes());
    }

    var start = read(startDate, startTime);
    var end = read(endDate, endTime);
    var length = start !== null && end !== null && end > start ? end - start : null;

    function startChanged() {
        var newStart = read(startDate, startTime);
        if (newStart !== null && length !== null) {
            write(newStart + length);
        }
    }

    function endChanged() {
        var newStart = read(startDate, startTime);
        var newEnd = read(endDate, endTime);
        if (newStart !== null && newEnd !== null && newEnd > newStart) {
            length = newEnd - newStart;
        }
    }

    startDate.addEventListener("change", startChanged);
    startTime.addEventListener("change", startChanged);
    endDate.addEventListener("change", endChanged);
    endTime.addEventListener("change", endChanged);

    var estimate = form.querySelector("[data-estimate]");
    var estimateUrl = form.getAttribute("data-estimate-url");
    var asked = 0;

    function refreshEstimate() {
        var query = new URLSearchParams(new FormData(form));
        query.delete("csrfmiddlewaretoken");
        var mine = ++asked;
        fetch(estimateUrl + "?" + query.toString(), {credentials: "same-origin"})
            .then(function (response) {
                return response.ok ? response.text() : null;
            })
            .then(function (html) {
                if (html === null || mine !== asked) {
                    return; // a later answer is on its way, or none came: keep what is shown
                }
                var fresh = new DOMParser().parseFromString(html, "text/html")
                    .querySelector("[data-estimate]");
                estimate.innerHTML = fresh ? fresh.innerHTML : "";
            })
            .catch(function () {});
    }

    if (estimate && estimateUrl && window.fetch) {
        // "change" after the end has followed the start, so the new length is priced.
        form.addEventListener("change", refreshEstimate);
    }
})();
