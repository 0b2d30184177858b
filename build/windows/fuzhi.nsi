; 赋智会务台 Fuzhi Event Desk: the Windows x64 installer.
; Built by scripts/release.sh with makensis (Debian's nsis), which passes:
;   -DVERSION=1.2.3 -DDESK_EXE=path\fuzhi-desk.exe -DCLI_EXE=path\fuzhi.exe
;   -DBOOTSTRAPPER=path\MicrosoftEdgeWebview2Setup.exe -DOUTFILE=path\installer.exe
;
; What it does, and why:
; - installs for all users under Program Files (one laptop, several staff
;   accounts at a venue), with a Start-menu folder and a desktop shortcut;
; - double-clicking a .fzevent file opens it in the app (the app opens the
;   file named on its command line);
; - the uninstaller removes the program only: events live in the user's
;   FuzhiEvents folder (%USERPROFILE%\FuzhiEvents) and are never touched;
; - WebView2 (the window's browser engine). Windows 11 ships it and Windows 10
;   has had it through Windows Update since 2021, so it is usually present and
;   nothing is done. When it is missing, the installer first looks for
;   Microsoft's offline "Evergreen Standalone Installer"
;   (MicrosoftEdgeWebView2RuntimeInstallerX64.exe) beside itself: an IT office
;   can put it on the USB stick next to this installer for a venue laptop
;   without internet. Only then does it run the small online bootstrapper it
;   carries (1.8 MB, needs internet). If both fail, it says so in Chinese and
;   finishes the install anyway: the browser mode (fuzhi.exe serve) works
;   without WebView2, and the window works once the runtime is added.
;   We do not embed the 170 MB offline runtime: it would multiply the
;   installer's size by ten for the few laptops that lack it.

Unicode true
; A 64-bit installer for a 64-bit program (Debian's NSIS carries the amd64 stubs);
; it also runs under wine64, so CI installs and uninstalls it for real.
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef VERSION
  !error "VERSION is required (-DVERSION=1.2.3)"
!endif
!define PRODUCT "赋智会务台"
!define PRODUCT_EN "Fuzhi Event Desk"
!define PUBLISHER "Fuzhi Event Desk"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\FuzhiEventDesk"
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"

!ifdef SIGN_UNINSTALLER
  !uninstfinalize '${SIGN_UNINSTALLER} "%1"'
!endif

Name "${PRODUCT} ${PRODUCT_EN} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT_EN}"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT} ${PRODUCT_EN}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} 安装程序"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "© 2026 ${PUBLISHER}"

!define MUI_ICON "icon.ico"
!define MUI_UNICON "icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\fuzhi-desk.exe"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "赋智会务台需要 64 位 Windows 10 或更新的版本。" /SD IDOK
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "赋智会务台需要 Windows 10 或更新的版本。" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

; HasWebView2: $0 = 1 when the WebView2 runtime is installed (machine- or
; user-wide), else 0. Microsoft documents these keys for the check.
Function HasWebView2
  StrCpy $0 0
  ReadRegStr $1 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $1 != ""
  ${AndIf} $1 != "0.0.0.0"
    StrCpy $0 1
    Return
  ${EndIf}
  ReadRegStr $1 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $1 != ""
  ${AndIf} $1 != "0.0.0.0"
    StrCpy $0 1
  ${EndIf}
FunctionEnd

Function InstallWebView2
  Call HasWebView2
  ${If} $0 == 1
    DetailPrint "WebView2 已安装"
    Return
  ${EndIf}
  ${If} ${FileExists} "$EXEDIR\MicrosoftEdgeWebView2RuntimeInstallerX64.exe"
    DetailPrint "正在从安装程序旁的离线包安装 WebView2…"
    ExecWait '"$EXEDIR\MicrosoftEdgeWebView2RuntimeInstallerX64.exe" /silent /install'
    Call HasWebView2
    ${If} $0 == 1
      Return
    ${EndIf}
  ${EndIf}
  DetailPrint "正在联网安装 WebView2…"
  InitPluginsDir
  SetOutPath "$PLUGINSDIR"
  File "/oname=MicrosoftEdgeWebview2Setup.exe" "${BOOTSTRAPPER}"
  ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" /silent /install'
  Call HasWebView2
  ${If} $0 != 1
    MessageBox MB_OK|MB_ICONEXCLAMATION "未能安装 WebView2（窗口所需的浏览器组件），可能是这台电脑没有联网。$\r$\n$\r$\n赋智会务台已安装。请任选其一：$\r$\n· 联网后重新运行本安装程序；$\r$\n· 将微软的离线安装包 MicrosoftEdgeWebView2RuntimeInstallerX64.exe 放在本安装程序旁边后重新运行；$\r$\n· 先用浏览器模式：在开始菜单打开“赋智会务台（浏览器模式）”。" /SD IDOK
  ${EndIf}
FunctionEnd

Section "Install"
  SetRegView 64
  SetShellVarContext all
  Call InstallWebView2

  SetOutPath "$INSTDIR"
  File "/oname=fuzhi-desk.exe" "${DESK_EXE}"
  File "/oname=fuzhi.exe" "${CLI_EXE}"
  File "icon.ico"

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\fuzhi-desk.exe" "" "$INSTDIR\icon.ico"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}（浏览器模式）.lnk" "$SYSDIR\cmd.exe" '/k "$INSTDIR\fuzhi.exe" serve' "$INSTDIR\icon.ico"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\卸载${PRODUCT}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortCut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\fuzhi-desk.exe" "" "$INSTDIR\icon.ico"

  ; .fzevent opens in the app on a double-click.
  WriteRegStr HKLM "Software\Classes\.fzevent" "" "FuzhiEventDesk.Event"
  WriteRegStr HKLM "Software\Classes\FuzhiEventDesk.Event" "" "赋智会务台活动文件"
  WriteRegStr HKLM "Software\Classes\FuzhiEventDesk.Event\DefaultIcon" "" "$INSTDIR\icon.ico"
  WriteRegStr HKLM "Software\Classes\FuzhiEventDesk.Event\shell\open\command" "" '"$INSTDIR\fuzhi-desk.exe" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${PRODUCT} ${PRODUCT_EN}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\icon.ico"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  SetRegView 64
  SetShellVarContext all
  ; The program only. Events (the FuzhiEvents folder in each user's profile)
  ; and their backups stay where they are.
  Delete "$INSTDIR\fuzhi-desk.exe"
  Delete "$INSTDIR\fuzhi.exe"
  Delete "$INSTDIR\icon.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}\*.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  ReadRegStr $0 HKLM "Software\Classes\.fzevent" ""
  ${If} $0 == "FuzhiEventDesk.Event"
    DeleteRegKey HKLM "Software\Classes\.fzevent"
  ${EndIf}
  DeleteRegKey HKLM "Software\Classes\FuzhiEventDesk.Event"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  DeleteRegKey HKLM "${UNINST_KEY}"
  DetailPrint "活动文件保存在各用户的 FuzhiEvents 文件夹中，卸载不会删除。"
SectionEnd
