extension Templates {
    /// A card of the catalogue (the catalogue and the teacher's home).
    static let catalogueCard = """
        <li class="card" data-bundle="{{id}}">
        <h3>{{title}}</h3>
        <p class="meta">{{kindName}} · {{standardName}} · {{publisher}}{{#duration}} · {{.}}{{/duration}}</p>
        <p>{{description}}</p>
        <p class="meta">{{levels}} · v{{version}} · {{size}}</p>
        <p><span class="badge {{#licensed}}ok{{/licensed}}{{^licensed}}ko{{/licensed}}">{{badge}}</span></p>
        {{#note}}<p class="{{#licensed}}ok{{/licensed}}{{^licensed}}ko{{/licensed}}">{{.}}</p>{{/note}}
        {{#advice}}<p class="advice">{{adviceLabel}} <a href="{{openURL}}">{{title}}</a></p>
        {{/advice}}
        <p><a class="button" href="{{openURL}}">{{openLabel}}</a></p>
        </li>

        """

    static let catalogue = """
        {{<layout}}{{$main}}
        <h1>{{t.title}}</h1>
        {{#page.filterForm}}{{>catalogueFilterForm}}{{/page.filterForm}}
        {{^page.nothingInstalled}}<p class="count" role="status">{{page.count}}</p>{{/page.nothingInstalled}}
        {{#page.nothingInstalled}}<p class="empty">{{t.empty}}</p>{{/page.nothingInstalled}}
        {{#page.noMatch}}<p class="empty">{{t.noMatch}} <a href="{{page.clearURL}}">{{t.clear}}</a></p>{{/page.noMatch}}
        {{#page.sections}}
        <section id="{{id}}">
        <h2>{{heading}} ({{count}})</h2>
        <ul class="cards">
        {{#cards}}{{>catalogueCard}}{{/cards}}
        </ul>
        </section>
        {{/page.sections}}
        {{/main}}{{/layout}}
        """
}
