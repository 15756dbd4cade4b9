; provdesk's Windows setup program (NSIS 3, makensis). Built by `packaging/build.sh windows`:
;
;   makensis -DVERSION=0.1.0 -DEXE=/path/provdesk.exe -DOUTFILE=/path/provdesk-0.1.0-setup.exe installer.nsi
;
; Per-user: installs into %LOCALAPPDATA%\Programs\provdesk without admin rights (no UAC prompt),
; a start-menu entry for the user, an entry in Settings > Apps (HKCU), and an uninstaller that
; removes the program and leaves the inventory and settings in %APPDATA%\provdesk in place, and
; says so. `/S` installs silently; `/D=C:\path` (last argument) picks another folder.

!ifndef VERSION | EXE | OUTFILE
  !error "define VERSION, EXE and OUTFILE: makensis -DVERSION=… -DEXE=… -DOUTFILE=… installer.nsi"
!endif

Unicode true
; A 64-bit setup for a 64-bit program (and it runs on 64-bit Wine without the 32-bit half).
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\provdesk"
; Where the directories crate puts provdesk's data on Windows (see README, Install).
!define DATA_DIR "$APPDATA\provdesk"

Name "provdesk ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\provdesk"
InstallDirRegKey HKCU "Software\provdesk" "InstallDir"
BrandingText "provdesk ${VERSION}"

; The setup's own version resource (Explorer > Properties > Details).
VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "provdesk"
VIAddVersionKey "FileDescription" "provdesk setup"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "CompanyName" "provdesk developers"
VIAddVersionKey "LegalCopyright" "MIT OR Apache-2.0"

!include "MUI2.nsh"

!define MUI_ICON "provdesk.ico"
!define MUI_UNICON "provdesk.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\provdesk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start provdesk"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "provdesk will be removed from $INSTDIR. Your inventory, templates and settings stay in ${DATA_DIR}: delete that folder yourself if you want them gone."

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "provdesk"
    SetShellVarContext current
    SetOutPath "$INSTDIR"
    File "/oname=provdesk.exe" "${EXE}"
    WriteUninstaller "$INSTDIR\uninstall.exe"
    CreateShortcut "$SMPROGRAMS\provdesk.lnk" "$INSTDIR\provdesk.exe" "" "$INSTDIR\provdesk.exe" 0 \
        SW_SHOWNORMAL "" "Provisioning manager for Gigaset DECT/IP phones"

    WriteRegStr HKCU "Software\provdesk" "InstallDir" "$INSTDIR"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "provdesk"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "provdesk developers"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\provdesk.exe,0"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
    WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
    WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
    WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
    SetShellVarContext current
    Delete "$SMPROGRAMS\provdesk.lnk"
    Delete "$INSTDIR\provdesk.exe"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
    DeleteRegKey HKCU "${UNINSTALL_KEY}"
    DeleteRegKey HKCU "Software\provdesk"
    DetailPrint "Your inventory, templates and settings stay in ${DATA_DIR}."
SectionEnd
