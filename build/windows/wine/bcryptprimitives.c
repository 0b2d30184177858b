/* A test shim for Wine 8 (Debian 12's wine64), which lacks
 * bcryptprimitives.dll: Go programs since Go 1.22 load ProcessPrng from it
 * and stop at start without it. Real Windows 10/11 have the DLL; this file is
 * built only by scripts/wine-test.sh, put beside the test programs, and never
 * shipped. ProcessPrng fills the buffer from the system RNG, as Windows' own
 * does, through bcrypt.dll, which Wine 8 has. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
