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
        <p><a class="button" href="{{openURL}}">{{openLabel}}</a></p>
        </li>

        """

    static let catalogue = """
        {{<layout}}{{$main}}
        <h1>{{t.title}}</h1>
        <form method="get" action="{{page.action}}">
        <fieldset>
        <legend>{{t.filterLegend}}</legend>
        <label for="public">{{t.publicLabel}}</label>
        <select id="public" name="public">
        <option value=""{{#page.allSelected}} selected{{/page.allSelected}}>{{t.allPublics}}</option>
        {{#page.options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>
        {{/page.options}}
        </select>
        {{#page.english}}<input type="hidden" name="lang" value="en">{{/page.english}}
        <button type="submit" class="secondary">{{t.filter}}</button>
        </fieldset>
        </form>
        {{#page.empty}}<p class="empty">{{t.empty}}</p>{{/page.empty}}
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
