import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore

/// `relais backup`: the database (SQLite online backup, safe while `relais serve` runs), the box
/// secret and the trusted TUF metadata in one owner-only tar file. Not the content store.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the box: database, secret.key and trusted TUF root, in one file (not the bundles' content).",
        discussion: """
            Safe while `relais serve` runs (SQLite's online backup: one consistent snapshot). The file \
            (a tar, mode 600: it holds the secret that keys pupils' pseudonyms) is written beside FILE \
            and renamed, never half written. The content store is not included: after a restore, \
            `relais sync --once` or `relais import` brings the bundles back.
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: ArgumentHelp("The backup file to write.", valueName: "FILE"))
    var file: String

    @Flag(help: "Replace FILE if it exists.")
    var force = false

    func run() throws {
        let box = try options.openBox()
        let summary = try BoxBackup.write(box: box, to: file, force: force)
        let m = summary.manifest
        print("Sauvegarde écrite / backup written: \(file) (\(ByteCount.format(summary.bytes)))")
        print("  \(m.name) (UAI \(m.uai)) · relais \(m.relaisVersion) · schéma \(m.migrations.last ?? "?") · \(m.createdAt)")
        for member in m.members { print("  \(member.path) \(ByteCount.format(member.bytes)) sha256 \(member.sha256)") }
        print("Contenu non inclus / content not included: \(summary.blobsLeftOut) fichiers de store/blobs ; après une restauration, `relais sync --once` ou `relais import` les ramène / after a restore, sync or import brings them back.")
        print("Ce fichier contient secret.key : gardez-le en lieu sûr / this file holds the box secret: keep it safe.")
    }
}

/// `relais restore`: a backup into an empty or new folder (or `--replace`, moving the box there aside).
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup made by `relais backup` into an empty or new data folder.",
        discussion: """
            Every member is checked against the SHA-256 in the backup's manifest and written into a \
            temporary folder beside DIR, renamed into place at the end (nothing half restored). Refuses \
            a folder that already holds a box unless --replace (the old one is moved aside, never \
            deleted), a backup of another UAI than --uai or than the box being replaced unless \
            --other-uai, and a backup made by a newer relais. The content store is empty afterwards: \
            run `relais sync --once` or `relais import` to bring the bundles back. Stop `relais serve` \
            on DIR before --replace.
            """)

    @Option(name: .long, help: "Data folder to restore into (new or empty).")
    var data: String

    @Argument(help: ArgumentHelp("The backup file written by `relais backup`.", valueName: "FILE"))
    var file: String

    @Option(help: "UAI the backup must be of (refused otherwise, unless --other-uai).")
    var uai: String?

    @Flag(name: .customLong("other-uai"), help: "Restore a backup of another UAI than --uai or the box being replaced.")
    var otherUAI = false

    @Flag(help: "DIR already holds a box: move it aside (DIR.avant-restauration-DATE) and restore in its place.")
    var replace = false

    func run() throws {
        if let uai { _ = try UAI(uai) }
        let directory = DataDirectory(data)
        let summary = try BoxBackup.restore(
            from: file, into: directory, options: .init(uai: uai, otherUAI: otherUAI, replace: replace))
        let m = summary.manifest
        print("Box restaurée / box restored: \(m.name) (UAI \(m.uai)) dans \(directory.root.path), sauvegarde du \(m.createdAt) (relais \(m.relaisVersion))")
        if let aside = summary.movedAside { print("  L'ancienne box est gardée dans / the previous box is kept in: \(aside)") }
        print("  Les pseudonymes des élèves sont conservés (secret.key) / pupils keep their pseudonyms.")
        print("Le store de contenu est vide / the content store is empty (\(summary.bundles) ressource(s) à ramener / bundle(s) to bring back): relais sync --data \(data) --once, ou relais import --data \(data) ….")
    }
}
