// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title RegionCode
/// @notice The 12-digit statistical division code: 2 digits province, 2 city, 2 county, 3 township,
/// 3 village. A code names the lowest level whose part is non-zero; every part below it is zero.
/// Authority over a code covers every code under it. Mirrored by govchain/regions.py.
library RegionCode {
    uint8 internal constant PROVINCE = 1;
    uint8 internal constant CITY = 2;
    uint8 internal constant COUNTY = 3;
    uint8 internal constant TOWNSHIP = 4;
    uint8 internal constant VILLAGE = 5;

    /// @dev Whether `code` has 12 digits and no level set under a zero level.
    /// Branch-free: the role check, the proof check and the filing each run it on every filing.
    function isValid(uint64 code) internal pure returns (bool valid) {
        assembly ("memory-safe") {
            let village := mod(code, 1000)
            let township := mod(div(code, 1000), 1000)
            let county := mod(div(code, 1000000), 100)
            let city := mod(div(code, 100000000), 100)
            // A level below a zero level must be zero too: a gap is a zero part with a non-zero part under it.
            let under := village
            let gap := and(iszero(township), iszero(iszero(under)))
            under := or(under, township)
            gap := or(gap, and(iszero(county), iszero(iszero(under))))
            under := or(under, county)
            gap := or(gap, and(iszero(city), iszero(iszero(under))))
            // 12 digits: 1e11 to 1e12 - 1.
            valid := and(iszero(gap), and(iszero(lt(code, 100000000000)), lt(code, 1000000000000)))
        }
    }

    /// @dev The level a valid code names (1 province ... 5 village).
    function level(uint64 code) internal pure returns (uint8) {
        if (code % 1e3 != 0) return VILLAGE;
        if (code % 1e6 != 0) return TOWNSHIP;
        if (code % 1e8 != 0) return COUNTY;
        if (code % 1e10 != 0) return CITY;
        return PROVINCE;
    }

    /// @dev The code of the region at level `lvl` containing `code` (itself if already at or above it).
    function ancestorAt(uint64 code, uint8 lvl) internal pure returns (uint64) {
        uint64 divisor = _divisor(lvl);
        // Truncating the lower digits is the point: it zeroes the township and village parts of the code.
        // slither-disable-next-line divide-before-multiply
        return (code / divisor) * divisor;
    }

    /// @dev The region directly above a valid code; 0 for a province.
    function parent(uint64 code) internal pure returns (uint64) {
        uint8 lvl = level(code);
        return lvl == PROVINCE ? 0 : ancestorAt(code, lvl - 1);
    }

    /// @dev Whether authority over valid code `authority` extends to valid code `code`.
    function covers(uint64 authority, uint64 code) internal pure returns (bool) {
        return ancestorAt(code, level(authority)) == authority;
    }

    function _divisor(uint8 lvl) private pure returns (uint64) {
        if (lvl == VILLAGE) return 1;
        if (lvl == TOWNSHIP) return 1e3;
        if (lvl == COUNTY) return 1e6;
        if (lvl == CITY) return 1e8;
        return 1e10;
    }
}
