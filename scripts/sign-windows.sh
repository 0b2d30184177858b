#!/usr/bin/env bash
# Authenticode-signs one Windows program in place with osslsigncode, when
# FUZHI_SIGN_CERT and FUZHI_SIGN_KEY (PEM files) are set; otherwise does
# nothing. Used by scripts/release.sh and, for the uninstaller it writes, by
# makensis (!uninstfinalize).
#   FUZHI_SIGN_CERT=cert.pem FUZHI_SIGN_KEY=key.pem bash scripts/sign-windows.sh FILE.exe
set -euo pipefail
[ -n "${FUZHI_SIGN_CERT:-}" ] || exit 0
file=$1
osslsigncode sign -certs "$FUZHI_SIGN_CERT" -key "$FUZHI_SIGN_KEY" \
  -n "赋智会务台 Fuzhi Event Desk" -h sha256 -in "$file" -out "$file.signed" >/dev/null
mv "$file.signed" "$file"
