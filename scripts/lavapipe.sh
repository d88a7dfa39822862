# Installs Mesa's lavapipe (the software Vulkan driver in mesa-vulkan-drivers) in a version Dawn
# accepts (Mesa >= 24). Sourced by scripts/setup.sh; the functions take the root folder so that
# tests can run them on a temporary tree.
#   Debian 12: the package (and only what it needs) from bookworm-backports, the suite added with
#              the same mirror as the system's own bookworm entry;
#   elsewhere: the distribution's package when its candidate is >= 24 (Debian 13, Ubuntu 24.04+).
# Never fails setup: without a usable suite SwiftShader alone runs, with a one-line note.

# The mirror (URI) and Signed-By of the system's own CODENAME entry, tab-separated; deb822 files
# first, then one-line sources.list entries. Prints nothing when there is none.
lavapipe_mirror_of() {
  local root=$1 codename=$2 f got
  for f in "$root"/etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    got=$(awk -v c="$codename" '
      BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; signed = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/ || index(line, ":") == 0) continue
          key = tolower(substr(line, 1, index(line, ":") - 1))
          val = substr(line, index(line, ":") + 1)
          gsub(/^[ \t]+|[ \t]+$/, "", val)
          if (key == "types") types = val
          else if (key == "uris") uris = val
          else if (key == "suites") suites = val
          else if (key == "signed-by") signed = val
          else if (key == "enabled") enabled = tolower(val)
        }
        if ((" " types " ") ~ / deb / && (" " suites " ") ~ (" " c " ") && enabled != "no") {
          split(uris, u, " "); print u[1] "\t" signed; exit
        }
      }' "$f")
    if [ -n "$got" ]; then
      printf '%s\n' "$got"
      return 0
    fi
  done
  for f in "$root"/etc/apt/sources.list "$root"/etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    got=$(awk -v c="$codename" '
      $1 == "deb" {
        i = 2; signed = ""
        if ($2 ~ /^\[/) {
          for (; i <= NF; i++) {
            if ($i ~ /signed-by=/) { s = $i; sub(/.*signed-by=/, "", s); sub(/\]$/, "", s); signed = s }
            if ($i ~ /\]$/) { i++; break }
          }
        }
        if ($(i + 1) == c) { print $i "\t" signed; exit }
      }' "$f")
    if [ -n "$got" ]; then
      printf '%s\n' "$got"
      return 0
    fi
  done
}

# The deb822 entry for CODENAME-backports on the system's own mirror; nothing when there is none.
lavapipe_backports_entry() {
  local root=$1 codename=$2 got uri signed
  got=$(lavapipe_mirror_of "$root" "$codename")
  [ -n "$got" ] || return 0
  uri=${got%%$'\t'*}
  signed=${got#*$'\t'}
  printf 'Types: deb\nURIs: %s\nSuites: %s-backports\nComponents: main\n' "$uri" "$codename"
  [ -z "$signed" ] || printf 'Signed-By: %s\n' "$signed"
}

# Whether an enabled entry already names SUITE (deb822 or one-line).
lavapipe_has_suite() {
  local root=$1 suite=$2
  grep -rqsE "^[^#]*[[:space:]]${suite}([[:space:]]|$)" "$root"/etc/apt/sources.list "$root"/etc/apt/sources.list.d/*.sources "$root"/etc/apt/sources.list.d/*.list 2>/dev/null
}

# Adds the CODENAME-backports entry unless the suite is already there; prints the file it wrote.
lavapipe_add_backports() {
  local root=$1 codename=$2 entry file
  lavapipe_has_suite "$root" "${codename}-backports" && return 0
  entry=$(lavapipe_backports_entry "$root" "$codename")
  [ -n "$entry" ] || return 1
  file="$root/etc/apt/sources.list.d/specmap-${codename}-backports.sources"
  printf '# Added by specmap scripts/setup.sh for mesa-vulkan-drivers (lavapipe, Mesa >= 24).\n%s\n' "$entry" >"$file"
  printf '%s\n' "$file"
}

lavapipe_version_ok() {
  [ -n "${1:-}" ] && dpkg --compare-versions "$1" ge 24
}

# The whole step, as root or through sudo ($1: "" or "sudo").
install_lavapipe() {
  local sudo=$1 have cand added=""
  have=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
  lavapipe_version_ok "$have" && return 0
  local id="" codename=""
  if [ -r /etc/os-release ]; then
    id=$(. /etc/os-release && echo "${ID:-}")
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  fi
  if [ "$id" = debian ] && [ "$codename" = bookworm ]; then
    if ! lavapipe_has_suite / bookworm-backports; then
      added=$(lavapipe_backports_entry / bookworm)
      if [ -z "$added" ]; then
        echo "setup: note: no bookworm entry in the apt sources to derive bookworm-backports from; lavapipe not installed, SwiftShader alone"
        return 0
      fi
      printf '# Added by specmap scripts/setup.sh for mesa-vulkan-drivers (lavapipe, Mesa >= 24).\n%s\n' "$added" |
        $sudo tee /etc/apt/sources.list.d/specmap-bookworm-backports.sources >/dev/null
      added=/etc/apt/sources.list.d/specmap-bookworm-backports.sources
    fi
    echo "setup: installing mesa-vulkan-drivers (lavapipe) from bookworm-backports (apt)"
    if $sudo apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        mesa-vulkan-drivers/bookworm-backports >/dev/null 2>&1; then
      return 0
    fi
    # An unreachable suite would make every later apt-get update fail: take back what was added.
    [ -z "$added" ] || $sudo rm -f "$added"
    echo "setup: note: bookworm-backports unreachable; lavapipe not installed, SwiftShader alone"
    return 0
  fi
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  cand=$(apt-cache policy mesa-vulkan-drivers 2>/dev/null | awk '/Candidate:/ { print $2 }')
  if lavapipe_version_ok "$cand"; then
    echo "setup: installing mesa-vulkan-drivers $cand (lavapipe) (apt)"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends mesa-vulkan-drivers >/dev/null 2>&1 ||
      echo "setup: note: mesa-vulkan-drivers did not install; SwiftShader alone"
  else
    echo "setup: note: this distribution offers no lavapipe Dawn accepts (Mesa >= 24; candidate: ${cand:-none}); SwiftShader alone"
  fi
}
