import Foundation
import RelaisCore

/// The catalogue's filter form (a GET form, no script): niveau, discipline, type, standard,
/// licence, public and a search field, each with its label, the chosen values kept, a submit
/// button and « Effacer les filtres » when some filter is set.
///
/// Any page can show it: put `CatalogueFilterForm.view(in:)` in the page's data (say
/// `filterForm`) and write `{{#page.filterForm}}{{>catalogueFilterForm}}{{/page.filterForm}}` in
/// its template (the partial reads only the view's own fields). The form submits to `action` (a
/// portal path; its query is dropped by the browser, keep what must survive in `hidden`).
public struct CatalogueFilterForm: Sendable {
    /// One hidden field the form carries along (e.g. a séance id), besides the language.
    public struct Hidden: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The portal path the form submits to (`/catalogue`, a séance's activity picker…).
    public var action: String
    /// The values chosen (shown selected).
    public var filter: CatalogueFilter
    /// The choices (from the catalogue: `CatalogueFilter.Options(candidates)`).
    public var options: CatalogueFilter.Options
    public var hidden: [Hidden]
    /// Whether to offer the public (GAR `publicCible`) choice: staff browsing want it, a séance's
    /// picker fixes the public to ELEVE and hides it.
    public var showsAudience: Bool

    public init(
        action: String, filter: CatalogueFilter, options: CatalogueFilter.Options, hidden: [Hidden] = [], showsAudience: Bool = true
    ) {
        self.action = action
        self.filter = filter
        self.options = options
        self.hidden = hidden
        self.showsAudience = showsAudience
    }

    struct Choice {
        let value: String
        let name: String
        let selected: Bool
    }

    struct Select {
        let id: String
        let name: String
        let label: String
        let anyLabel: String
        let anySelected: Bool
        let choices: [Choice]
    }

    struct HiddenField {
        let name: String
        let value: String
    }

    /// What the `catalogueFilterForm` partial reads.
    struct View {
        let action: String
        let legend: String
        let selects: [Select]
        let searchLabel: String
        let searchHelp: String
        let search: String
        let submit: String
        let active: Bool
        let clearURL: String
        let clear: String
        let hidden: [HiddenField]
    }

    /// The form in one language, for a template's data.
    public func view(in language: Language) -> Any { makeView(language) }

    func makeView(_ l: Language) -> View {
        let t = CatalogueFilterTexts.pick(l)
        func select<V: Equatable>(_ id: String, _ name: String, _ label: String, _ any: String, _ values: [V], chosen: V?, value: (V) -> String, title: (V) -> String) -> Select {
            var values = values
            // A chosen value the catalogue no longer holds stays visible (and selected).
            if let chosen, !values.contains(chosen) { values.append(chosen) }
            return Select(
                id: id, name: name, label: label, anyLabel: any, anySelected: chosen == nil,
                choices: values.map { Choice(value: value($0), name: title($0), selected: $0 == chosen) })
        }
        var selects = [
            select("filtre-cycle", "cycle", t.cycle, t.anyCycle, options.cycles, chosen: filter.cycle, value: \.rawValue) { CardTexts.levelName($0, l) },
            select(
                "filtre-discipline", "discipline", t.discipline, t.anyDiscipline, options.disciplines,
                chosen: filter.discipline.map { wanted in options.disciplines.first { CatalogueFilter.folded($0) == CatalogueFilter.folded(wanted) } ?? wanted },
                value: { $0 }, title: { $0 }),
            select("filtre-type", "type", t.kind, t.anyKind, options.kinds, chosen: filter.kind, value: \.rawValue) { $0 == .solution ? t.solutions : t.trainings },
            select("filtre-standard", "standard", t.standard, t.anyStandard, options.standards, chosen: filter.standard, value: \.rawValue) {
                CardTexts.standardName($0, l)
            },
            select("filtre-licence", "licence", t.licence, t.anyLicence, options.licences, chosen: filter.licence, value: \.rawValue) {
                t.licenceName($0)
            },
        ]
        if showsAudience {
            selects.append(
                select("filtre-public", "public", t.audience, t.anyAudience, options.audiences, chosen: filter.audience, value: \.rawValue) {
                    CardTexts.publicName($0, l)
                })
        }
        var hiddenFields = hidden.map { HiddenField(name: $0.name, value: $0.value) }
        if l == .en { hiddenFields.append(HiddenField(name: "lang", value: "en")) }
        let action = URLs.safe(action.split(separator: "?", maxSplits: 1).first.map(String.init) ?? action)
        var clearPath = action
        if !hidden.isEmpty {
            clearPath += "?" + hidden.map { "\(Self.queryValue($0.name))=\(Self.queryValue($0.value))" }.joined(separator: "&")
        }
        return View(
            action: action, legend: t.legend, selects: selects, searchLabel: t.search, searchHelp: t.searchHelp, search: filter.search,
            submit: t.submit, active: filter.isActive, clearURL: URLs.localized(clearPath, l), clear: t.clear, hidden: hiddenFields)
    }
}

extension CatalogueFilterForm {
    /// A query value, percent-encoded (unreserved characters kept).
    static func queryValue(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

struct CatalogueFilterTexts: Sendable {
    let legend: String
    let cycle: String
    let anyCycle: String
    let discipline: String
    let anyDiscipline: String
    let kind: String
    let anyKind: String
    let solutions: String
    let trainings: String
    let standard: String
    let anyStandard: String
    let licence: String
    let anyLicence: String
    let valid: String
    let expiring: String
    let notValid: String
    let audience: String
    let anyAudience: String
    let search: String
    let searchHelp: String
    let submit: String
    let clear: String

    func licenceName(_ licence: CatalogueFilter.Licence) -> String {
        switch licence {
        case .valid: return valid
        case .expiring: return expiring
        case .notValid: return notValid
        }
    }

    static let fr = CatalogueFilterTexts(
        legend: "Filtrer le catalogue", cycle: "Niveau", anyCycle: "Tous les niveaux", discipline: "Discipline",
        anyDiscipline: "Toutes les disciplines", kind: "Type", anyKind: "Tous les types", solutions: "Solutions",
        trainings: "Modules de formation", standard: "Format", anyStandard: "Tous les formats", licence: "Licence",
        anyLicence: "Toutes", valid: "Utilisable", expiring: "Expire dans les 30 jours", notValid: "Non utilisable",
        audience: "Public", anyAudience: "Tous les publics", search: "Rechercher",
        searchHelp: "Dans le titre, la description et l'éditeur ; majuscules et accents indifférents.", submit: "Filtrer",
        clear: "Effacer les filtres")
    static let en = CatalogueFilterTexts(
        legend: "Filter the catalogue", cycle: "Level", anyCycle: "Every level", discipline: "Subject", anyDiscipline: "Every subject",
        kind: "Type", anyKind: "Every type", solutions: "Solutions", trainings: "Training modules", standard: "Format",
        anyStandard: "Every format", licence: "Licence", anyLicence: "Any", valid: "Usable", expiring: "Expires within 30 days",
        notValid: "Not usable", audience: "Audience", anyAudience: "Every audience", search: "Search",
        searchHelp: "In the title, description and publisher; case and accents ignored.", submit: "Filter", clear: "Clear the filters")

    static func pick(_ l: Language) -> CatalogueFilterTexts { l == .fr ? fr : en }
}

extension Templates {
    /// The catalogue's filter form; its context is a `CatalogueFilterForm.View`.
    static let catalogueFilterForm = """
        <form method="get" action="{{action}}" class="filters">
        <fieldset>
        <legend>{{legend}}</legend>
        <div class="filter-fields">
        {{#selects}}
        <div class="field">
        <label for="{{id}}">{{label}}</label>
        <select id="{{id}}" name="{{name}}">
        <option value=""{{#anySelected}} selected{{/anySelected}}>{{anyLabel}}</option>
        {{#choices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>
        {{/choices}}
        </select>
        </div>
        {{/selects}}
        </div>
        <label for="filtre-q">{{searchLabel}}</label>
        <input type="search" id="filtre-q" name="q" value="{{search}}" maxlength="100" aria-describedby="filtre-q-aide">
        <p class="help" id="filtre-q-aide">{{searchHelp}}</p>
        {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">
        {{/hidden}}
        <p class="actions"><button type="submit">{{submit}}</button>{{#active}} <a class="button secondary" href="{{clearURL}}">{{clear}}</a>{{/active}}</p>
        </fieldset>
        </form>

        """
}
