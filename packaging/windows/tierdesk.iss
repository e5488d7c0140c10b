; Inno Setup script for tierdesk (Inno Setup 6.x: https://jrsoftware.org/isinfo.php).
;
; Build first (Git Bash):   packaging/build.sh        -> packaging\dist\tierdesk\ and packaging\build\icons\
; Then (cmd or PowerShell): iscc /DAppVersion=0.1.0 packaging\windows\tierdesk.iss
;                           -> packaging\dist\installer\tierdesk-0.1.0-setup.exe
; Per-user install by default (no admin rights needed); the wizard offers an all-users install too.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "tierdesk"
#define AppPublisher "tierdesk developers"
#define AppExeName "tierdesk.exe"
#define DistDir "..\dist\tierdesk"
#define IconFile "..\build\icons\tierdesk.ico"

[Setup]
; A fixed AppId keeps upgrades and uninstalls working across versions: never change it.
AppId={{6F1C2B7E-4D0A-4E8B-9B1F-3C2A7D5E9A41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppCopyright=© {#AppPublisher}, MIT licence
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExeName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
; Uncomment with a code-signing certificate configured as the "signtool" sign tool in the IDE/iscc:
; SignTool=signtool
; SignedUninstaller=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "openwith"; Description: "Offer tierdesk in ""Open with"" for Excel, OpenDocument and CSV files"; GroupDescription: "File types:"

[Files]
; The whole PyInstaller one-folder build: tierdesk.exe (windowed), tierdesk-cli.exe (console), _internal\.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
; "Open with" entries only (never take over the default handler for .xlsx).
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".xlsx"; ValueData: ""; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".xlsm"; ValueData: ""; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".xlsb"; ValueData: ""; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".xls"; ValueData: ""; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".ods"; ValueData: ""; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".csv"; ValueData: ""; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\.xlsx\OpenWithList\{#AppExeName}"; ValueType: none; Flags: uninsdeletekey; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\.xlsm\OpenWithList\{#AppExeName}"; ValueType: none; Flags: uninsdeletekey; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\.xls\OpenWithList\{#AppExeName}"; ValueType: none; Flags: uninsdeletekey; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\.ods\OpenWithList\{#AppExeName}"; ValueType: none; Flags: uninsdeletekey; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\.csv\OpenWithList\{#AppExeName}"; ValueType: none; Flags: uninsdeletekey; Tasks: openwith

[Run]
Filename: "{app}\{#AppExeName}"; Parameters: "--sample"; Description: "Open tierdesk with the sample territory"; Flags: nowait postinstall skipifsilent
