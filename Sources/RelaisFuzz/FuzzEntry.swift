import Foundation
import RelaisFuzzBodies

// The libFuzzer entry point of `relais-fuzz` (built only with RELAIS_FUZZ=1 and -sanitize=fuzzer,
// which links libFuzzer's own main; see scripts/fuzz). RELAIS_FUZZ_TARGET names the body.
let selected: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["RELAIS_FUZZ_TARGET"] ?? ""
    guard let target = FuzzBodies.target(named: name) else {
        let known = FuzzBodies.targets.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("relais-fuzz: set RELAIS_FUZZ_TARGET to one of: \(known)\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if case .broken(let why) = selected.body(bytes) {
        fatalError("relais-fuzz \(selected.name): \(why)")
    }
    return 0
}
