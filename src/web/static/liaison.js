/* Liaison — progressive enhancements for the server-rendered pages.
   Every page works without this file. Where the markup asks for it, it adds:
   1. type-ahead suggestions under the header search box (WAI-ARIA 1.2 combobox), and under
      a form's reference fields, where choosing one puts its title in the field (and its id in the
      hidden input beside it), or adds it as a chip to a list of links, each chip with a button
      that removes it;
   2. inline validation messages in record forms (the server still validates);
   3. a confirmation question before submitting forms with data-confirm;
   4. filter selects that submit their form as soon as they change;
   5. partial updates of lists (see below);
   6. Print buttons (data-print, hidden without the script), and menus (<details>) that close
      on Escape or a click elsewhere;
   7. a canned answer previewed in the message box it names (data-preview), where it can be
      edited: what is sent is then the box, not the canned answer;
   8. the translation editor's keys (form[data-editor]): Ctrl+Enter confirms the sentence,
      Ctrl+1 to Ctrl+9 put the memory's match of that number into the translation, which
      the "Take this match" links (data-use) do too, without leaving the page;
   9. an upload's progress (form[data-progress]): how much of the file has been sent, then
      that the server is at work on it, and its answer shown in place.
   Plain ES2020, no dependencies; loaded with defer, so the document is parsed. */
(function () {
	"use strict";

	/* 1. Search type-ahead */

	const MAX_ITEMS = 8;
	const DELAY_MS = 150;
	// Suggestions come from the network: only build links from values shaped like our routes.
	const SAFE_KIND = /^[a-z][a-z0-9_-]*$/;
	const SAFE_ID = /^[A-Za-z0-9_-]+$/;

	function setupSuggest(input) {
		const list = document.getElementById(input.getAttribute("aria-controls"));
		if (!list) return;
		let labels = {};
		try { labels = JSON.parse(input.dataset.kinds || "{}") || {}; } catch (e) { /* labels are optional */ }
		let items = [], active = -1, timer = 0, blurTimer = 0, controller = null;
		// A reference field (data-pick="organizations") takes the chosen record's title, and the
		// hidden input beside it its id; a links field (data-links: its list of chips) a chip more.
		const pick = input.dataset.pick || "";
		const chips = input.dataset.links ? document.getElementById(input.dataset.links) : null;
		const chosen = pick && !chips ? document.getElementById(input.id + "-id") : null;
		// Which kind an option is, where a picker offers several, or a user's e-mail.
		const kindLabel = (kind) => Object.prototype.hasOwnProperty.call(labels, kind) ? String(labels[kind]) : kind;
		const detail = (it) => it.email || (!pick || pick.includes(",") ? kindLabel(it.kind) : "");

		input.setAttribute("role", "combobox");
		input.setAttribute("aria-autocomplete", "list");
		input.setAttribute("aria-expanded", "false");
		input.setAttribute("autocomplete", "off"); // the browser's own history list would cover ours
		list.setAttribute("role", "listbox");
		list.tabIndex = -1; // a scrollable list must not become a tab stop: focus stays in the input

		const show = (open) => {
			list.hidden = !open;
			input.setAttribute("aria-expanded", String(open));
			if (!open) highlight(-1);
		};

		function highlight(i) {
			const options = list.children;
			if (options[active]) options[active].setAttribute("aria-selected", "false");
			active = i;
			if (i < 0) { input.removeAttribute("aria-activedescendant"); return; }
			options[i].setAttribute("aria-selected", "true");
			input.setAttribute("aria-activedescendant", options[i].id);
			options[i].scrollIntoView({ block: "nearest" });
		}

		function go(it) {
			if (!pick) { window.location.href = "/" + it.kind + "/" + encodeURIComponent(it.key || it.id); return; }
			if (chips) {
				addChip(chips, it, pick.includes(",") ? kindLabel(it.kind) : "");
				input.value = "";
				render([]);
				return;
			}
			input.value = it.title;
			if (chosen) chosen.value = String(it.key || it.id); // a country is referred to by its code
			show(false);
		}

		function render(found) {
			show(false);
			items = found.filter((it) => it && it.title && typeof it.kind === "string"
				&& SAFE_KIND.test(it.kind) && SAFE_ID.test(String(it.id))).slice(0, MAX_ITEMS);
			list.replaceChildren(...items.map((it, i) => {
				const li = document.createElement("li");
				li.id = list.id + "-opt-" + i;
				li.setAttribute("role", "option");
				li.setAttribute("aria-selected", "false");
				li.dataset.index = i;
				const title = document.createElement("span");
				title.textContent = it.title;
				const kind = document.createElement("span");
				kind.className = "kind";
				kind.textContent = detail(it);
				li.append(title, kind);
				return li;
			}));
			if (items.length) show(true);
		}

		function load(q) {
			// A later keystroke wins: cancel whatever is still in flight.
			if (controller) controller.abort();
			const mine = controller = new AbortController();
			const only = pick ? "&type=" + encodeURIComponent(pick) : "";
			fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q) + only, {
				credentials: "same-origin",
				// names in the page's language ("Bolivie" on a French page)
				headers: { Accept: "application/json", "Accept-Language": document.documentElement.lang || "en" },
				signal: mine.signal
			})
				.then((res) => (res.ok ? res.json() : null))
				.then((data) => {
					if (mine !== controller || input.value.trim() !== q) return;
					render(data && Array.isArray(data.items) ? data.items : []);
				})
				.catch(() => { /* silent: the form still submits to the search page */ });
		}

		input.addEventListener("input", () => {
			clearTimeout(timer);
			const q = input.value.trim();
			// What is typed now names the record: the server looks it up unless one is chosen.
			if (chosen) chosen.value = "";
			if (q.length >= 2) { timer = setTimeout(() => load(q), DELAY_MS); return; }
			if (controller) controller.abort();
			render([]);
		});

		input.addEventListener("keydown", (e) => {
			if (e.isComposing) return; // keys that end an input-method composition are not ours
			const n = items.length;
			if ((e.key === "ArrowDown" || e.key === "ArrowUp") && n) {
				e.preventDefault();
				show(true);
				highlight(e.key === "ArrowDown" ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
			} else if (e.key === "Enter" && !list.hidden && active >= 0) {
				// Without a chosen option, Enter keeps its meaning: submit the form.
				e.preventDefault();
				go(items[active]);
			} else if (e.key === "Escape" && !list.hidden) {
				e.preventDefault();
				show(false);
			}
		});

		// Keep focus in the input while an option is pressed, so the list stays for the click.
		list.addEventListener("mousedown", (e) => e.preventDefault());
		list.addEventListener("click", (e) => {
			const li = e.target.closest("[role=option]");
			if (li && items[li.dataset.index]) go(items[li.dataset.index]);
		});
		// Close a little after blur, so a tap on an option still lands.
		input.addEventListener("blur", () => { blurTimer = setTimeout(() => show(false), 200); });
		input.addEventListener("focus", () => clearTimeout(blurTimer));
		if (input.form) input.form.addEventListener("submit", () => show(false));
	}

	/* Chips: the records a links field holds.  The server writes each as a checkbox (unchecked
	 * to remove it, where there is no script); here each becomes a hidden input and a button. */

	let chipCount = 0;

	function removable(list, li) {
		const box = li.querySelector("input[type=checkbox]");
		const label = box && li.querySelector("label:not(.role)");
		if (label) {
			const span = document.createElement("span");
			span.append(...label.childNodes);
			label.replaceWith(span);
		}
		if (box) box.type = "hidden";
		const button = document.createElement("button");
		button.type = "button";
		button.className = "remove";
		button.textContent = "×";
		const title = li.querySelector(".title");
		button.setAttribute("aria-label", list.dataset.remove + " " + (title ? title.textContent : ""));
		button.addEventListener("click", () => {
			li.remove();
			const add = document.querySelector("input[data-links=\"" + list.id + "\"]");
			if (add) add.focus(); // focus must not be lost with the button
		});
		li.append(" ", button);
	}

	function addChip(list, it, kindText) {
		const value = it.kind + "/" + it.id;
		if (Array.from(list.querySelectorAll("input[type=hidden]")).some((i) => i.value === value)) return;
		const li = document.createElement("li");
		li.className = "chip";
		const keep = document.createElement("input");
		keep.type = "hidden";
		keep.name = list.dataset.name;
		keep.value = value;
		const title = document.createElement("span");
		title.className = "title";
		title.textContent = it.title;
		const kind = document.createElement("span");
		kind.className = "kind";
		kind.textContent = kindText; // empty where the field takes one kind only
		const role = document.createElement("input");
		role.className = "role";
		role.id = list.id + "-new-" + (++chipCount);
		role.name = list.dataset.name + ".role." + value;
		role.maxLength = 100;
		const roleLabel = document.createElement("label");
		roleLabel.className = "role";
		roleLabel.htmlFor = role.id;
		roleLabel.textContent = list.dataset.role;
		li.append(keep, title, " ", kind, " ", roleLabel, " ", role);
		list.append(li);
		removable(list, li);
	}

	document.querySelectorAll("ul.chips[data-name]").forEach((list) => {
		list.querySelectorAll("li.chip").forEach((li) => removable(list, li));
	});

	document.querySelectorAll("input[data-suggest][aria-controls]").forEach(setupSuggest);

	/* 2. Inline validation of record forms */

	const CHECKED = "[required],[maxlength],[pattern],input[type=email],input[type=url]";
	let errorCount = 0;

	function messageFor(form, c) {
		const m = form.dataset, v = c.validity;
		// A too-long value that was not typed (e.g. sent by the server) is not tooLong to the browser.
		const tooLong = v.tooLong || (c.maxLength > 0 && c.value.length > c.maxLength);
		if (v.valid && !tooLong) return "";
		if (v.valueMissing) return m.msgRequired || c.validationMessage;
		if (tooLong) return m.msgTooLong || c.validationMessage;
		if (v.typeMismatch && c.type === "email") return m.msgEmail || c.validationMessage;
		if (v.typeMismatch && c.type === "url") return m.msgUrl || c.validationMessage;
		return m.msgInvalid || c.validationMessage;
	}

	function check(form, c) {
		const field = c.closest("div.field");
		if (!field) return;
		const msg = messageFor(form, c);
		let p = field.querySelector("p.error");
		if (msg && !p) {
			p = document.createElement("p");
			p.className = "error";
			field.append(p);
		}
		if (p) {
			p.textContent = msg;
			p.hidden = !msg;
		}
		if (p && msg) {
			if (!p.id) p.id = (c.id || "field") + "-error-" + (++errorCount);
			// Screen readers then read the message with the control; keep the hint too.
			const ids = (c.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
			if (!ids.includes(p.id)) c.setAttribute("aria-describedby", ids.concat(p.id).join(" "));
		}
		field.classList.toggle("invalid", !!msg);
		if (msg) c.setAttribute("aria-invalid", "true"); else c.removeAttribute("aria-invalid");
	}

	document.querySelectorAll("form.record").forEach((form) => {
		// Let the server's messages, in the page language, replace the browser's own bubbles.
		form.noValidate = true;
		// Judge only controls the user has changed, so the server's messages on the others stay.
		const touched = new WeakSet();
		const mark = (e) => { if (e.target.matches(CHECKED)) touched.add(e.target); };
		const judge = (e) => { if (touched.has(e.target)) check(form, e.target); };
		form.addEventListener("input", mark);
		form.addEventListener("change", (e) => { mark(e); judge(e); });
		form.addEventListener("focusout", judge);
	});

	// After a refused form, the summary of its errors is where the reader starts.
	const summary = document.getElementById("form-errors");
	if (summary) summary.focus();

	/* 3. Confirmation before submitting */

	document.addEventListener("submit", (e) => {
		const msg = e.target.dataset && e.target.dataset.confirm;
		if (msg && !window.confirm(msg)) e.preventDefault();
	});

	/* 4. Filters that apply themselves */

	document.addEventListener("change", (e) => {
		const form = e.target.matches("select[data-autosubmit]") && e.target.closest("form.filters");
		// requestSubmit fires the submit event, so other listeners (e.g. data-confirm) still run.
		if (form) form.requestSubmit ? form.requestSubmit() : form.submit();
	});

	/* 5. Partial updates: filters, sorting and paging inside [data-partial]
	 * fetch the next page and swap its <main>, without reloading the rest;
	 * the address changes as with a normal link, so Back works. */

	const main = document.getElementById("main");

	// A page's <main> in place of this one's, and its title; false when the text is no such page.
	function showMain(html) {
		const doc = new DOMParser().parseFromString(html, "text/html");
		const next = doc.getElementById("main");
		if (!next) return false;
		main.replaceChildren(...Array.from(next.childNodes, (n) => document.importNode(n, true)));
		document.title = doc.title;
		// Tell screen readers the content changed: focus the new heading.
		const h1 = main.querySelector("h1");
		if (h1) { h1.tabIndex = -1; h1.focus(); }
		return true;
	}

	async function swap(url, push) {
		try {
			const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
			if (!res.ok || !(res.headers.get("Content-Type") || "").startsWith("text/html")) throw new Error(res.status);
			if (!showMain(await res.text())) throw new Error("no main");
			if (push) {
				// Mark the entry we leave too, so that Back to it is swapped in place;
				// entries without the mark (a #fragment link) are left to the browser.
				if (!(history.state && history.state.partial)) history.replaceState({ partial: true }, "");
				history.pushState({ partial: true }, "", url);
			}
		} catch (err) {
			location.href = url; // anything unexpected: a plain navigation
		}
	}

	function partial(el) {
		return el && el.closest("[data-partial]") && main && main.contains(el);
	}

	document.addEventListener("click", (e) => {
		const a = e.target.closest && e.target.closest("a[href]");
		if (!partial(a) || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
		const url = new URL(a.href, location.href);
		// the same list filtered, sorted or paged: swapped; a record or another page: a plain
		// navigation, so that its own page (its scripts, its forms) loads whole
		if (url.origin !== location.origin || url.pathname !== location.pathname) return;
		e.preventDefault();
		swap(url.href, true);
	});

	document.addEventListener("submit", (e) => {
		const form = e.target;
		if (e.defaultPrevented || !partial(form) || (form.method || "get").toLowerCase() !== "get") return;
		e.preventDefault();
		const url = new URL(form.action, location.href);
		url.search = new URLSearchParams(new FormData(form)).toString();
		swap(url.href, true);
	});

	/* 6. Print buttons and menus */

	document.querySelectorAll("button[data-print]").forEach((b) => {
		b.hidden = false;
		b.addEventListener("click", () => window.print());
	});
	const MENUS = "details.menu[open], details.more[open]";
	document.addEventListener("click", (e) => {
		document.querySelectorAll(MENUS).forEach((d) => { if (!d.contains(e.target)) d.open = false; });
	});
	document.addEventListener("keydown", (e) => {
		if (e.key !== "Escape") return;
		document.querySelectorAll(MENUS).forEach((d) => {
			if (!d.contains(document.activeElement)) return;
			d.open = false;
			d.querySelector("summary").focus();
		});
	});

	/* 7. Canned answers previewed */

	document.querySelectorAll("select[data-preview]").forEach((select) => {
		const box = document.getElementById(select.dataset.preview);
		if (!box) return;
		let filled = "";
		select.addEventListener("change", () => {
			const text = select.selectedOptions[0] && select.selectedOptions[0].dataset.text;
			if (text && (!box.value.trim() || box.value === filled)) box.value = filled = text;
		});
		select.form.addEventListener("submit", () => { if (box.value.trim()) select.disabled = true; });
	});

	/* 8. The translation editor */

	document.querySelectorAll("form[data-editor]").forEach((form) => {
		const box = form.querySelector("textarea");
		const confirm = form.querySelector("[data-confirm-key]");
		if (!box || !confirm) return;
		const take = (n) => {
			const match = document.querySelector('[data-match="' + n + '"]');
			if (!match) return false;
			box.value = match.textContent;
			box.focus();
			box.setSelectionRange(box.value.length, box.value.length);
			return true;
		};
		document.addEventListener("keydown", (e) => {
			if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
			if (e.key === "Enter") {
				e.preventDefault();
				form.requestSubmit(confirm);
			} else if (/^[1-9]$/.test(e.key) && take(e.key)) {
				e.preventDefault();
			}
		});
		document.querySelectorAll("a[data-use]").forEach((a) => {
			a.addEventListener("click", (e) => { if (take(a.dataset.use)) e.preventDefault(); });
		});
	});

	/* 9. An upload's progress: the form is sent by XMLHttpRequest (fetch tells
	 * nothing of what has been sent), its <progress> showing how much of the
	 * file has gone, then no value (the server cannot say how far it is in the
	 * rows) under the label data-checking gives, and the answer's <main>
	 * shown in place: the report, or the rows to fix.  Anything unexpected: the
	 * form is submitted as it would be without this script. */
	document.querySelectorAll("form[data-progress]").forEach((form) => {
		const box = document.getElementById(form.dataset.progress);
		const bar = box && box.querySelector("progress");
		const label = box && box.querySelector("label");
		if (!bar || !label || !main) return;
		form.addEventListener("submit", (e) => {
			if (e.defaultPrevented) return;
			e.preventDefault();
			const xhr = new XMLHttpRequest();
			xhr.open("POST", form.action);
			xhr.setRequestHeader("Accept", "text/html");
			xhr.upload.addEventListener("progress", (p) => {
				if (p.lengthComputable && p.total) bar.value = Math.round((100 * p.loaded) / p.total);
			});
			xhr.upload.addEventListener("load", () => {
				bar.removeAttribute("value");
				label.textContent = bar.dataset.checking;
			});
			xhr.addEventListener("load", () => {
				const html = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/html") && xhr.responseText;
				if (!html || !showMain(html)) form.submit();
			});
			xhr.addEventListener("error", () => form.submit());
			box.hidden = false;
			form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
			xhr.send(new FormData(form));
		});
	});

	window.addEventListener("popstate", (e) => { if (main && e.state && e.state.partial) swap(location.href, false); });
})();
