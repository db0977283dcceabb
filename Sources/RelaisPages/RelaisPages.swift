// RelaisPages: the portal's HTML, with no HTTP and no database.
//
// A page is three things, one file each:
//   - a view model (`Pages/…Page.swift`): a public `struct …Page: PageModel` of plain data, the
//     `Layout` first; `view(in:)` turns it into what the template reads, in one language: its
//     texts (`t`), its data (`page`), every URL through `URLs.safe`/`URLs.localized`;
//   - its texts: a `…Texts` struct with `static let fr` and `static let en` (the memberwise
//     initialiser makes both languages give every text; a test checks none is empty);
//   - its template (`Templates/…Template.swift`), registered in `Templates.all`:
//     `{{<layout}}{{$main}} … {{/main}}{{/layout}}`, words only through `{{t.…}}`, values only
//     through `{{page.…}}`, the `{{>csrf}}` partial in every POST form.
//
// The rules the tests hold every page to: `{{x}}` only (never triple braces, `&`, pragmas or new
// delimiters); every field with a `<label for>`; errors in `role="alert"`; tables with
// `<th scope>`; one `<h1>`; both languages render and differ; any string of the model set to
// `<img src=x onerror=alert(1)>` or `"'><script>` comes out as text. Add the new page to
// `Fixtures.pages` and `Fixtures.ordinaryPages` (the fixtures test fails until every string of its
// model is set there).
//
// The portal renders with `Pages.render(page)` (or its own `try PageRenderer()`, built once at
// startup so a broken template stops the start), answers `text/html; charset=utf-8`, and serves
// `Assets.css` at `Assets.cssPath` with a long cache (pages link to `Assets.cssURL`, versioned).
