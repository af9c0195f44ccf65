// newsdesk review page: keyboard shortcuts, growing text boxes, an unsaved-changes guard.
// The page works without it; every action is a plain form post.
(function () {
  "use strict";

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function focusEl(el) {
    if (!el) return;
    el.focus();
    if (el.scrollIntoView) el.scrollIntoView({ block: "center" });
  }

  function toggleShortcuts() {
    var box = document.getElementById("shortcuts");
    if (!box) return;
    box.open = !box.open;
    if (box.open) focusEl(box.querySelector("summary"));
  }

  // -- growing text boxes ----------------------------------------------------------------------
  function grow(area) {
    area.style.height = "auto";
    area.style.height = area.scrollHeight + 2 + "px";
  }
  document.querySelectorAll("textarea[data-autogrow]").forEach(function (area) {
    grow(area);
    area.addEventListener("input", function () { grow(area); });
  });
  window.addEventListener("resize", function () {
    document.querySelectorAll("textarea[data-autogrow]").forEach(grow);
  });

  // -- article page ----------------------------------------------------------------------------
  var editForm = document.getElementById("edit-form");
  if (editForm) {
    var dirty = false;
    var note = document.getElementById("dirty-note");
    var fields = Array.prototype.slice.call(editForm.querySelectorAll("[data-field]"));
    editForm.addEventListener("input", function () {
      if (!dirty && note) note.textContent = "Unsaved changes";
      dirty = true;
    });
    editForm.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
    ["approve-form", "reject-form"].forEach(function (id) {
      var form = document.getElementById(id);
      if (!form) return;
      form.addEventListener("submit", function (event) {
        if (dirty) {
          event.preventDefault();
          if (note) note.textContent = "Save your changes first: approval and rejection apply to the saved revision.";
          focusEl(document.getElementById("save-button"));
        }
      });
    });

    // QA flags in page order; `f` / `F` move focus to the next / previous one, wrapping.
    var flags = Array.prototype.slice.call(document.querySelectorAll(".qa-flag"));
    // What had focus last: a field left with Esc still says where the editor is.
    var lastFocused = null;
    document.addEventListener("focusin", function (event) { lastFocused = event.target; });
    var jumpToFlag = function (step) {
      if (!flags.length) return;
      var index = flags.indexOf(document.activeElement);
      if (index < 0) {
        // From elsewhere: the first flag after (or, backwards, before) what has focus.
        var here = document.activeElement;
        if (!here || here === document.body) here = lastFocused || document.body;
        var after = flags.findIndex(function (flag) {
          return here.compareDocumentPosition(flag) & Node.DOCUMENT_POSITION_FOLLOWING;
        });
        if (after < 0) after = flags.length;
        index = step > 0 ? after - 1 : after;
      }
      focusEl(flags[(index + step + flags.length) % flags.length]);
    };

    var move = function (step) {
      var index = fields.indexOf(document.activeElement);
      var next = fields[Math.max(0, Math.min(fields.length - 1, index + step))];
      focusEl(next);
    };

    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var mod = event.ctrlKey || event.metaKey;
      if (mod && !event.altKey && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        dirty = false;
        editForm.requestSubmit ? editForm.requestSubmit() : editForm.submit();
        return;
      }
      if (mod && event.key === "Enter" && target && target.form &&
          (target.form.id === "approve-form" || target.form.id === "reject-form")) {
        event.preventDefault();
        target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
        return;
      }
      if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
        return;
      }
      if (event.key === "Escape" && typing(target)) { target.blur(); return; }
      if (typing(target) || mod || event.altKey) return;
      switch (event.key) {
        case "f": event.preventDefault(); jumpToFlag(1); break;
        case "F": event.preventDefault(); jumpToFlag(-1); break;
        case "e": event.preventDefault(); focusEl(document.querySelector("textarea[id^='p-']") || fields[0]); break;
        case "d": event.preventDefault(); focusEl(document.getElementById("diff")); break;
        case "a": event.preventDefault(); focusEl(document.getElementById("approve-comment")); break;
        case "r": event.preventDefault(); focusEl(document.getElementById("reject-comment")); break;
        case "u": event.preventDefault(); window.location.href = "/review"; break;
        case "?": event.preventDefault(); toggleShortcuts(); break;
      }
    });
  }

  // -- queue page ------------------------------------------------------------------------------
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr"));
  if (rows.length || document.querySelector(".queue-page")) {
    var current = -1;
    var select = function (index) {
      if (!rows.length) return;
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows.forEach(function (row, i) { row.classList.toggle("selected", i === current); });
      focusEl(rows[current].querySelector("a.open"));
    };
    document.addEventListener("keydown", function (event) {
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      switch (event.key) {
        case "j": event.preventDefault(); select(current + 1); break;
        case "k": event.preventDefault(); select(current - 1); break;
        case "o":
          if (current >= 0) { event.preventDefault(); rows[current].querySelector("a.open").click(); }
          break;
        case "/": event.preventDefault(); focusEl(document.getElementById("f-state")); break;
        case "?": event.preventDefault(); toggleShortcuts(); break;
      }
    });
  }
})();
