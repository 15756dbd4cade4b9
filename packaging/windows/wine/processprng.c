/*
 * TEST ONLY, never shipped: a bcryptprimitives.dll for Wine 8, which lacks ProcessPrng.
 *
 * Rust's standard library (1.78 and later) takes its random bytes (HashMap seeds) from
 * ProcessPrng in bcryptprimitives.dll, which every supported Windows (10 and later) has. Wine 8,
 * the version Debian 12 ships, does not export it, so provdesk.exe does not start there. This
 * DLL exports ProcessPrng over RtlGenRandom (advapi32's SystemFunction036); smoke.sh builds it
 * with x86_64-w64-mingw32-gcc and puts it beside the exe in its own scratch folder only. The
 * installers never contain it.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
