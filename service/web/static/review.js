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

  // -- the draft editor: text editable, tags as intact chips ------------------------------------
  // Each paragraph's textarea (raw inline HTML, the no-script fallback) is replaced by an
  // editable copy whose tags are non-editable chips carrying their exact markup (data-raw);
  // on submit the chips and the text are written back into the textarea. Images' alt texts
  // get fields of their own.
  function escapeText(text) {
    return text.replace(/\u00a0/g, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function serialize(node) {
    var out = "";
    node.childNodes.forEach(function (child) {
      if (child.nodeType === 3) out += escapeText(child.data);
      else if (child.dataset && child.dataset.raw !== undefined) out += child.dataset.raw;
      else if (child.nodeType === 1 && child.tagName !== "BR") out += serialize(child);
    });
    return out;
  }
  function chipIn(div, staticRange) {
    var range = document.createRange();
    range.setStart(staticRange.startContainer, staticRange.startOffset);
    range.setEnd(staticRange.endContainer, staticRange.endOffset);
    return Array.prototype.some.call(div.querySelectorAll(".chip"), function (chip) {
      return range.intersectsNode(chip);
    });
  }
  // An attribute text (an image's alt, a link's title) as a field of its own; the chip's markup
  // follows what is typed.
  function attributeField(div, chip, attribute, text, touch) {
    var element = new DOMParser().parseFromString(chip.dataset.raw, "text/html").body.firstChild;
    if (!element || !element.getAttribute) return;
    var close = "</" + element.tagName.toLowerCase() + ">";
    var id = div.id + "-" + attribute + "-" + Array.prototype.indexOf.call(div.querySelectorAll(".chip"), chip);
    var box = document.createElement("div");
    box.className = "alt-field";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = text;
    var input = document.createElement("input");
    input.id = id;
    input.lang = div.lang;
    input.value = element.getAttribute(attribute) || "";
    input.addEventListener("input", function () {
      element.setAttribute(attribute, input.value);
      var markup = element.outerHTML;  // an open tag: drop the end tag the parser added
      chip.dataset.raw = markup.slice(-close.length) === close ? markup.slice(0, -close.length) : markup;
      touch();
    });
    box.appendChild(label);
    box.appendChild(input);
    return box;
  }
  function richEditor(div, note) {
    var area = document.getElementById(div.dataset.richFor);
    if (!area) return;
    div.contentEditable = "true";
    div.setAttribute("role", "textbox");
    div.setAttribute("data-field", "");
    area.removeAttribute("data-field");
    area.hidden = true;
    div.hidden = false;
    // Only a paragraph the editor touched is written back: an untouched one keeps its exact
    // markup, so it stays the machine's (or the memory's) and is not taken for an edit.
    var touched = false;
    var touch = function () { touched = true; };
    div.addEventListener("input", touch);
    var paragraph = Number(area.id.replace("p-", "")) + 1;
    var counts = {}, boxes = [];
    div.querySelectorAll(".chip").forEach(function (chip) {
      var tag = chip.dataset.tag, raw = chip.dataset.raw;
      var attribute = tag === "img" ? "alt" : /\stitle=/.test(raw) && raw.charAt(1) !== "/" ? "title" : null;
      if (!attribute) return;
      counts[tag] = (counts[tag] || 0) + 1;
      var name = chip.textContent.replace(/[⟨⟩]/g, "");
      var text = (attribute === "alt" ? "Alt text of " : "Title of ") + name + " " + counts[tag] +
        " in paragraph " + paragraph;
      boxes.push(attributeField(div, chip, attribute, text, touch));
    });
    boxes.filter(Boolean).reverse().forEach(function (box) { div.parentNode.insertBefore(box, div.nextSibling); });
    div.addEventListener("beforeinput", function (event) {
      var ranges = event.getTargetRanges ? event.getTargetRanges() : [];
      var breaks = event.inputType === "insertParagraph" || event.inputType === "insertLineBreak";
      if (breaks || (event.inputType.indexOf("delete") === 0 && ranges.length && chipIn(div, ranges[0]))) {
        event.preventDefault();
        if (note && !breaks) note.textContent = "Tags stay as they are: edit the text around them.";
      }
    });
    div.addEventListener("paste", function (event) {
      event.preventDefault();
      var text = (event.clipboardData || window.clipboardData).getData("text/plain");
      document.execCommand("insertText", false, text.replace(/\s+/g, " "));
    });
    return function () { if (touched) area.value = serialize(div); };
  }

  // -- article page ----------------------------------------------------------------------------
  var editForm = document.getElementById("edit-form");
  if (editForm) {
    var note = document.getElementById("dirty-note");
    var syncs = Array.prototype.map.call(editForm.querySelectorAll(".rich[data-rich-for]"), function (div) {
      return richEditor(div, note);
    }).filter(Boolean);
    editForm.addEventListener("submit", function () { syncs.forEach(function (sync) { sync(); }); });
    var dirty = false;
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
        case "e": event.preventDefault(); focusEl(document.querySelector(".rich:not([hidden]), textarea[id^='p-']") || fields[0]); break;
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
