/**
 * verify.html: one self-contained page in every package, so a recipient can check it in a
 * browser with nothing of ours installed. It reads the ZIP (or the unzipped folder) the reader
 * picks, inflates entries with the browser's DecompressionStream, hashes them with Web Crypto
 * and compares them with manifest-sha256.txt and tagmanifest-sha256.txt; with a signed package it
 * checks the Ed25519 signature of the tag manifest. No network: its Content-Security-Policy
 * allows nothing but its own inline script and style (by hash), so it cannot fetch anything.
 */
import { createHash } from 'node:crypto';
import { SIGNATURE_FILE, SIGNING_KEY_FILE } from './signing';

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
h1 { font-size: 1.4rem; }
label { display: block; margin: 1rem 0 0.25rem; font-weight: 600; }
#status { font-size: 1.6rem; font-weight: 700; margin: 1.5rem 0 0.5rem; }
#status[data-state="ok"] { color: #0a6b2d; }
#status[data-state="broken"] { color: #b00020; }
#failures li, #details li { font-family: ui-monospace, monospace; font-size: 0.85rem; overflow-wrap: anywhere; }
`;

const SCRIPT = `'use strict';
(function () {
  var SIGNATURE = ${JSON.stringify(SIGNATURE_FILE)};
  var KEY = ${JSON.stringify(SIGNING_KEY_FILE)};
  var $ = function (id) { return document.getElementById(id); };
  var utf8 = function (bytes) { return new TextDecoder('utf-8').decode(bytes); };
  var hex = function (buf) { return Array.from(new Uint8Array(buf), function (b) { return b.toString(16).padStart(2, '0'); }).join(''); };
  var sha256 = function (bytes) { return crypto.subtle.digest('SHA-256', bytes).then(hex); };
  var decodePath = function (p) { return p.replace(/%0A/gi, '\\n').replace(/%0D/gi, '\\r').replace(/%25/g, '%'); };

  // The entries of a ZIP: name -> function returning its bytes (read and inflated on demand).
  async function zipEntries(file) {
    var tailLength = Math.min(file.size, 65557);
    var tail = new DataView(await file.slice(file.size - tailLength).arrayBuffer());
    var end = -1;
    for (var i = tailLength - 22; i >= 0; i--) if (tail.getUint32(i, true) === 0x06054b50) { end = i; break; }
    if (end < 0) throw new Error('not a ZIP file');
    var count = tail.getUint16(end + 10, true);
    var dirSize = tail.getUint32(end + 12, true);
    var dirOffset = tail.getUint32(end + 16, true);
    var dir = new DataView(await file.slice(dirOffset, dirOffset + dirSize).arrayBuffer());
    var out = new Map();
    var p = 0;
    for (var n = 0; n < count; n++) {
      if (dir.getUint32(p, true) !== 0x02014b50) throw new Error('damaged ZIP directory');
      var method = dir.getUint16(p + 10, true);
      var compressed = dir.getUint32(p + 20, true);
      var nameLength = dir.getUint16(p + 28, true);
      var skip = nameLength + dir.getUint16(p + 30, true) + dir.getUint16(p + 32, true);
      var local = dir.getUint32(p + 42, true);
      var name = utf8(new Uint8Array(dir.buffer, dir.byteOffset + p + 46, nameLength));
      p += 46 + skip;
      if (!name.endsWith('/')) out.set(name, entryReader(file, name, method, compressed, local));
    }
    return out;
  }

  function entryReader(file, name, method, compressed, local) {
    return async function () {
      var header = new DataView(await file.slice(local, local + 30).arrayBuffer());
      if (header.getUint32(0, true) !== 0x04034b50) throw new Error('damaged ZIP entry');
      var start = local + 30 + header.getUint16(26, true) + header.getUint16(28, true);
      var raw = file.slice(start, start + compressed);
      if (method === 0) return new Uint8Array(await raw.arrayBuffer());
      if (method !== 8) throw new Error('unsupported ZIP compression method ' + method);
      return new Uint8Array(await new Response(raw.stream().pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer());
    };
  }

  function folderEntries(files) {
    var out = new Map();
    Array.from(files).forEach(function (f) {
      out.set(f.webkitRelativePath || f.name, function () { return f.arrayBuffer().then(function (b) { return new Uint8Array(b); }); });
    });
    return out;
  }

  async function verifyBag(entries) {
    var failures = [];
    var details = [];
    var names = Array.from(entries.keys());
    var declaration = names.find(function (n) { return /^[^/]+\\/bagit\\.txt$/.test(n); });
    if (!declaration) return { failures: ['bagit.txt: missing (expected <folder>/bagit.txt)'], details: details, checked: 0 };
    var root = declaration.slice(0, -'bagit.txt'.length);
    var bag = new Map();
    names.forEach(function (n) {
      if (n.startsWith(root)) bag.set(n.slice(root.length), entries.get(n));
      else failures.push(n + ': outside the bag folder');
    });
    async function read(path) {
      try { return await bag.get(path)(); } catch (e) { failures.push(path + ': unreadable (' + e.message + ')'); return null; }
    }
    var checked = 0;
    var manifests = [
      ['manifest-sha256.txt', function (p) { return p.startsWith('data/'); }],
      ['tagmanifest-sha256.txt', function (p) { return !p.startsWith('data/') && p !== 'tagmanifest-sha256.txt' && p !== SIGNATURE; }],
    ];
    var tagManifest = null;
    for (var m = 0; m < manifests.length; m++) {
      var manifest = manifests[m][0];
      var inScope = manifests[m][1];
      if (!bag.has(manifest)) { failures.push(manifest + ': missing'); continue; }
      var bytes = await read(manifest);
      if (!bytes) continue;
      if (manifest === 'tagmanifest-sha256.txt') tagManifest = bytes;
      var listed = new Set();
      var lines = utf8(bytes).split('\\n');
      for (var l = 0; l < lines.length; l++) {
        if (!lines[l].trim()) continue;
        var match = /^([0-9a-f]{64})[ \\t]+(.+)$/.exec(lines[l]);
        if (!match) { failures.push(manifest + ': line ' + (l + 1) + ' is not "<sha256>  <path>"'); continue; }
        var path = decodePath(match[2]);
        listed.add(path);
        if (!bag.has(path)) { failures.push(path + ': listed in ' + manifest + ' but missing'); continue; }
        var content = await read(path);
        if (!content) continue;
        var actual = await sha256(content);
        if (actual !== match[1]) failures.push(path + ': SHA-256 mismatch (' + manifest + ' says ' + match[1] + ', file has ' + actual + ')');
        else checked++;
      }
      bag.forEach(function (_, p) { if (inScope(p) && !listed.has(p)) failures.push(p + ': not listed in ' + manifest); });
    }
    if (bag.has(SIGNATURE) || bag.has(KEY)) {
      if (!bag.has(SIGNATURE)) failures.push(SIGNATURE + ': missing (the package carries a signing key but no signature)');
      else if (!bag.has(KEY)) failures.push(KEY + ': missing (the package carries a signature but no key)');
      else if (tagManifest) {
        var pem = utf8(await read(KEY));
        var der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----/g, '').replace(/\\s+/g, '')), function (c) { return c.charCodeAt(0); });
        try {
          var key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
          var good = await crypto.subtle.verify({ name: 'Ed25519' }, key, await read(SIGNATURE), tagManifest);
          if (good) details.push('Ed25519 signature of tagmanifest-sha256.txt: valid; key fingerprint SHA-256 ' + (await sha256(der)) + ' (compare it with the one the sender published)');
          else failures.push(SIGNATURE + ': the Ed25519 signature does not match tagmanifest-sha256.txt');
        } catch (e) {
          failures.push(KEY + ': cannot check the signature (' + e.message + ')');
        }
      }
    } else {
      details.push('Not signed: the hashes show the files are intact, not who made them.');
    }
    return { failures: failures, details: details, checked: checked };
  }

  function show(state, headline, lines, details) {
    var status = $('status');
    status.textContent = headline;
    status.setAttribute('data-state', state);
    var list = $('failures');
    list.textContent = '';
    lines.forEach(function (t) { var li = document.createElement('li'); li.textContent = t; list.appendChild(li); });
    var more = $('details');
    more.textContent = '';
    details.forEach(function (t) { var li = document.createElement('li'); li.textContent = t; more.appendChild(li); });
  }

  async function run(entries) {
    show('working', 'Checking…', [], []);
    try {
      var r = await verifyBag(await entries);
      if (r.failures.length === 0) show('ok', 'OK: ' + r.checked + ' files match their SHA-256', [], r.details);
      else show('broken', 'BROKEN: ' + r.failures.length + ' problem(s)', r.failures, r.details);
    } catch (e) {
      show('broken', 'BROKEN: ' + e.message, [], []);
    }
  }

  $('zip').addEventListener('change', function (ev) { if (ev.target.files[0]) run(zipEntries(ev.target.files[0])); });
  $('folder').addEventListener('change', function (ev) { if (ev.target.files.length) run(Promise.resolve(folderEntries(ev.target.files))); });
})();
`;

const csp = (source: string): string => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

/** The page (the same in every package; it reads the package the reader chooses). */
export function verifyPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${csp(SCRIPT)}; style-src ${csp(STYLE)}; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verify this dossier package</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Verify this dossier package</h1>
<p>This page checks, in your browser and without sending anything anywhere, that every file of the package
has the SHA-256 hash its BagIt manifests list (manifest-sha256.txt, tagmanifest-sha256.txt), that no file
was added, and, for a signed package, the Ed25519 signature of the tag manifest. Choose the ZIP file as you
received it, or the folder you unzipped it to.</p>
<label for="zip">The package (ZIP file)</label>
<input id="zip" type="file" accept=".zip,application/zip">
<label for="folder">Or the unzipped folder</label>
<input id="folder" type="file" webkitdirectory>
<p id="status" role="status" data-state="idle">No package chosen yet.</p>
<ul id="failures"></ul>
<ul id="details"></ul>
<p>The same checks can be made with any BagIt tool (for example <code>bagit.py --validate FOLDER</code>) or
with <code>sha256sum -c manifest-sha256.txt</code> inside the folder.</p>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
