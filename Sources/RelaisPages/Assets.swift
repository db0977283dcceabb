/// The portal's one stylesheet, served at `Assets.cssPath` with a long cache: pages link to
/// `Assets.cssURL`, whose `?v=` changes whenever the stylesheet does.
///
/// Plain CSS for old tablets: no custom properties, no grid, flexbox without `gap`; no script.
/// Colours (contrast against their background, WCAG 2):
///   text #1e1e1e on #ffffff 16.7:1, on the page #f6f6f6 15.4:1
///   header, buttons #ffffff on #000091 14.9:1; links #000091 on #ffffff 14.9:1, on #f6f6f6 13.8:1
///   muted #53535e on #ffffff 7.6:1, on #f6f6f6 7.0:1; table heads #1e1e1e on #eeeef4 14.4:1
///   available #18753c on #ffffff 5.8:1; unavailable, errors #b30000 on #ffffff 7.2:1,
///   on the alert box #fff1f0 6.6:1; notices #18753c on #effaf2 5.4:1
///   danger buttons #ffffff on #b30000 7.2:1; player bar #ffffff on #1e1e1e 16.7:1
///   focus: a 3 px outline #1e1e1e (#ffffff on the blue header and the dark player bar)
public enum Assets {
    /// The path the portal serves the stylesheet at.
    public static let cssPath = "/static/relais.css"

    /// The address pages link to: the path plus a version taken from the stylesheet's content.
    public static let cssURL = cssPath + "?v=" + fnv1a(css)

    /// The substitute's live table: every 5 seconds, fetch `/remplacant/{séance}/suivi` (the table
    /// rendered by the server, escaped by its template) and put it in place. ES5 and
    /// XMLHttpRequest, for old tablets; without it the page's « Actualiser » link does the same.
    public static let progressScriptPath = "/static/suivi.js"
    public static let progressScript = """
        (function () {
          var box = document.getElementById('suivi-tableau');
          if (!box || !window.XMLHttpRequest) { return; }
          var url = box.getAttribute('data-url');
          var stopped = false;
          function poll() {
            if (stopped) { return; }
            var xhr = new XMLHttpRequest();
            xhr.open('GET', url, true);
            xhr.setRequestHeader('Accept', 'text/html');
            xhr.onreadystatechange = function () {
              if (xhr.readyState !== 4) { return; }
              if (xhr.status === 200) {
                box.innerHTML = xhr.responseText;
                box.setAttribute('data-maj', String(new Date().getTime()));
              } else if (xhr.status >= 400 && xhr.status < 500) {
                stopped = true;
              }
              window.setTimeout(poll, 5000);
            };
            xhr.send(null);
          }
          window.setTimeout(poll, 5000);
        })();
        """

    public static let css = """
        html{font-size:100%;-webkit-text-size-adjust:100%}
        body{margin:0;font-family:Arial,Helvetica,sans-serif;line-height:1.45;background:#f6f6f6;color:#1e1e1e}
        a{color:#000091}
        a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus,main:focus,iframe:focus{outline:3px solid #1e1e1e;outline-offset:2px}
        .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        .skip{position:absolute;left:-9999px;top:0;background:#ffffff;color:#000091;padding:12px 16px;z-index:10}
        .skip:focus{left:8px;top:8px}
        .top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;background:#000091;color:#ffffff;padding:6px 16px}
        .top a,.top .link{color:#ffffff}
        .top a:focus,.top button:focus,.bar a:focus{outline-color:#ffffff}
        .brand{margin:0;font-size:1.2em;font-weight:bold}
        .brand a{display:inline-block;padding:10px 0;text-decoration:none}
        .who{margin:0}.who a{display:inline-block;padding:10px 0}
        .who form{display:inline}.who span{margin-right:8px}
        main{display:block;max-width:64em;margin:0 auto;padding:12px 16px 24px}
        h1{font-size:1.6em;margin:12px 0}h2{font-size:1.25em;margin:24px 0 8px}h3{font-size:1.05em;margin:0 0 6px}
        footer{max-width:64em;margin:0 auto;padding:12px 16px;color:#53535e;font-size:.9em}
        footer a{display:inline-block;padding:12px 4px}
        .meta,.help{color:#53535e}.help{font-size:.92em;margin:4px 0}
        .cards{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap}
        .card{flex:1 1 260px;max-width:28em;margin:0 12px 12px 0;padding:12px;background:#ffffff;border:1px solid #c8c8d2;border-radius:6px}
        .card p{margin:4px 0}
        .filter-fields{display:flex;flex-wrap:wrap}.filter-fields .field{margin-right:16px}.filter-fields select{width:14em}
        input[type=search]{width:22em}.count{font-weight:bold;margin:8px 0}
        .advice{border-left:4px solid #000091;padding-left:8px}
        .badge{display:inline-block;padding:2px 8px;border-radius:4px;font-weight:bold;border:2px solid}
        .ok{color:#18753c}.ko{color:#b30000}
        .button,button{display:inline-block;min-height:44px;min-width:44px;padding:10px 18px;font-size:1em;font-family:inherit;background:#000091;color:#ffffff;border:2px solid #000091;border-radius:4px;text-decoration:none;font-weight:bold;cursor:pointer;box-sizing:border-box}
        button.secondary,.button.secondary{background:#ffffff;color:#000091}
        button.danger{background:#b30000;border-color:#b30000;color:#ffffff}
        button.link{background:none;border:none;min-height:44px;padding:10px 0;text-decoration:underline;font-weight:normal}
        form.inline{display:inline;margin:0}
        fieldset{border:1px solid #c8c8d2;border-radius:6px;margin:12px 0;padding:8px 16px 16px;background:#ffffff}
        legend{font-weight:bold;padding:0 4px}
        label{display:block;margin:12px 0 4px;font-weight:bold}
        label.check{display:flex;align-items:center;font-weight:normal;margin:4px 0;min-height:44px}
        label.check input{width:24px;height:24px;margin:0 10px 0 0}
        input,select,textarea{font-size:1em;font-family:inherit;min-height:44px;padding:8px;border:2px solid #53535e;border-radius:4px;background:#ffffff;color:#1e1e1e;box-sizing:border-box;max-width:100%}
        input[type=text],input[type=password],input[type=email],select{width:22em}
        input[type=file]{border-style:dashed;width:22em}
        select[multiple]{min-height:8em}
        .actions{margin-top:16px}.actions .button,.actions button{margin:0 12px 8px 0}
        .alert{border-left:6px solid #b30000;background:#fff1f0;color:#b30000;padding:12px 16px;margin:12px 0}
        .alert ul{margin:4px 0;padding-left:20px}
        .warn{color:#b30000;white-space:nowrap}.etat h3{margin-top:16px}
        .notice{border-left:6px solid #18753c;background:#effaf2;color:#18753c;padding:12px 16px;margin:12px 0}
        .empty{padding:16px;background:#ffffff;border:1px dashed #53535e}
        .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
        table{border-collapse:collapse;background:#ffffff;min-width:100%}
        th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #c8c8d2;vertical-align:middle}
        th{background:#eeeef4}
        td form{margin:2px 0}
        .code{font-family:"DejaVu Sans Mono",Consolas,"Courier New",monospace;font-size:2.6em;letter-spacing:.12em;background:#ffffff;border:2px solid #1e1e1e;padding:12px 20px;display:inline-block;margin:8px 0}
        .big input[type=text]{font-size:1.3em}
        details{background:#ffffff;border:1px solid #c8c8d2;border-radius:4px;margin:8px 0;padding:0 12px}
        summary{min-height:44px;line-height:44px;cursor:pointer}
        .pupils{columns:12em;padding-left:20px}
        body.player{display:flex;flex-direction:column;height:100vh;margin:0}
        body.player main{flex:1;display:flex;flex-direction:column;max-width:none;width:100%;padding:0;box-sizing:border-box}
        body.player footer,body.player .top{display:none}
        .bar{display:flex;align-items:center;justify-content:space-between;background:#1e1e1e;color:#ffffff;padding:0 12px}
        .bar h1{font-size:1.1em;margin:0;padding:8px 0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        .bar a{color:#ffffff;display:inline-block;padding:10px 12px;margin-left:12px;font-weight:bold}
        .frame{flex:1;display:block;width:100%;border:0;background:#ffffff}
        .code-saisie{font-family:"DejaVu Sans Mono",Consolas,"Courier New",monospace;font-size:2em;letter-spacing:.15em;text-transform:uppercase;width:9em;max-width:100%;padding:8px}
        .grand button{font-size:1.3em;min-height:56px}
        .autres ul{list-style:none;padding:0}.autres li{display:inline-block;margin:0 16px 8px 0}
        .noms{list-style:none;padding:0;margin:0}.noms li{display:inline-block;margin:0 10px 10px 0}
        .noms button{font-size:1.3em;min-width:8em;min-height:64px;background:#ffffff;color:#000091}
        .noms .deja{font-size:.7em;font-weight:normal;color:#53535e}
        .bonjour{font-size:1.3em;font-weight:bold;margin:8px 0 0}
        .activites{list-style:none;padding:0}.activites li{background:#ffffff;border:1px solid #c8c8d2;border-radius:4px;margin:0 0 12px;padding:4px 16px 12px}
        .activites h2{font-size:1.2em;margin:8px 0 4px}.activites button{font-size:1.2em;min-height:56px}
        .p-fini{color:#18753c;font-weight:bold}.p-echec{color:#b30000;font-weight:bold}.p-cours{color:#1e1e1e}.p-rien{color:#53535e}
        .etat-brouillon{color:#53535e}.etat-confiee{color:#000091}.etat-en_cours{color:#18753c}.etat-terminee{color:#1e1e1e}
        .activites-seance li{margin:0 0 10px}.boutons{display:inline-block}
        .candidats{list-style:none;padding:0}.candidats li{background:#ffffff;border:1px solid #c8c8d2;padding:8px 12px;margin:0 0 8px}
        .conseil{color:#b30000;margin:4px 0}
        .texte{white-space:pre-wrap;background:#ffffff;border:1px solid #c8c8d2;padding:12px}
        .graphiques{list-style:none;padding:0}.graphiques li{display:inline-block;vertical-align:top;margin:0 16px 16px 0;background:#ffffff;border:1px solid #c8c8d2;padding:8px}
        .graphiques img{max-width:100%;height:auto}
        .qr{background:#ffffff;padding:8px;border:1px solid #c8c8d2;max-width:100%;height:auto}
        .rejoindre .code{font-size:3.4em}
        .cote{display:flex;flex-wrap:wrap;align-items:center}.cote .code{margin-right:24px}
        body.projection .cote{justify-content:center}body.projection .top .who{display:none}
        .candidats details{margin:8px 0 0 0;border:0;padding:0}.parties{list-style:none;padding-left:16px}.parties li{margin:4px 0}
        p.case{margin:6px 0}p.case input{width:24px;height:24px;vertical-align:middle;margin-right:8px}p.case label{display:inline;font-weight:normal}
        .autres{margin-top:48px;border-top:1px solid #c8c8d2;padding-top:8px;font-size:.9em}
        .fin label.case{font-weight:normal}
        body.projection main{text-align:center}.code-projection{font-size:5em;padding:12px 28px}
        .adresse-projection,.adresse{font-size:1.6em;font-weight:bold;word-break:break-all}
        .consigne-projection{font-size:1.6em}
        .progression td,.progression th[scope=row]{white-space:nowrap}
        textarea{width:100%;max-width:40em;box-sizing:border-box;font-family:inherit;font-size:1em;padding:8px}
        @media (max-width:600px){main{padding:8px 10px 16px}h1{font-size:1.35em}input[type=text],input[type=password],input[type=email],input[type=file],input[type=search],select,.filter-fields select{width:100%}.filter-fields .field{flex:1 1 40%;margin-right:8px}.card{margin-right:0}.code{font-size:2em}}
        @media (min-width:1600px){html{font-size:125%}}
        @media print{.top,footer,.skip,form,.nonimprime{display:none}.code{border:2px solid #000000}body{background:#ffffff}}
        """

    /// 32-bit FNV-1a of the stylesheet, in hex: changes when the stylesheet does.
    static func fnv1a(_ text: String) -> String {
        var hash: UInt32 = 0x811c_9dc5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return String(hash, radix: 16)
    }
}
