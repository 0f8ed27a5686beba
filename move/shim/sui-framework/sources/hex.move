// K3s-DaaS shim of sui::hex (Sui 1.71.1 signatures; bodies are our own).

/// Lower-case hexadecimal encoding of byte vectors.
module sui::hex;

/// Decoding input of odd length.
const EInvalidHexLength: u64 = 0;
/// Decoding input with a character outside [0-9a-fA-F].
const ENotValidHexCharacter: u64 = 1;

/// Encode `bytes` as lower-case hexadecimal ASCII.
public fun encode(bytes: vector<u8>): vector<u8> {
    let mut out = vector[];
    bytes.do!(|b| {
        out.push_back(digit(b >> 4));
        out.push_back(digit(b & 0x0f));
    });
    out
}

/// Decode hexadecimal ASCII (either case). Aborts with `EInvalidHexLength`
/// or `ENotValidHexCharacter`.
public fun decode(hex: vector<u8>): vector<u8> {
    let n = hex.length();
    assert!(n % 2 == 0, EInvalidHexLength);
    let mut out = vector[];
    let mut i = 0;
    while (i < n) {
        out.push_back((nibble(hex[i]) << 4) | nibble(hex[i + 1]));
        i = i + 2;
    };
    out
}

fun digit(n: u8): u8 {
    if (n < 10) 48 + n else 87 + n
}

fun nibble(c: u8): u8 {
    if (c >= 48 && c <= 57) c - 48
    else if (c >= 97 && c <= 102) c - 87
    else if (c >= 65 && c <= 70) c - 55
    else abort ENotValidHexCharacter
}
