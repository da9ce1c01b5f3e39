# Debian packages by CPack, one per install component (cmake/install.cmake):
#   storeq-controller  storeq-kiosk  storeq-hq  (per architecture)   storeq-web  (all)
# `cpack -G DEB` in a build configured with -DCMAKE_INSTALL_PREFIX=/usr (scripts/package
# does it, for amd64 and for arm64 with cmake/aarch64-linux-gnu.cmake). docs/packaging.md.
set(STOREQ_PACKAGE_VERSION "${PROJECT_VERSION}" CACHE STRING "The Debian packages' version")
set(STOREQ_MAINTAINER "storeq maintainers <storeq@example.org>" CACHE STRING "The packages' Maintainer field")

# The packages' architecture is the build's target, not the build machine's (a cross build).
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(STOREQ_DEB_ARCH arm64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(STOREQ_DEB_ARCH amd64)
else()
  set(STOREQ_DEB_ARCH "${CMAKE_SYSTEM_PROCESSOR}")
endif()

set(storeq_packages controller)
if(TARGET storeq-kiosk)
  list(APPEND storeq_packages kiosk)
endif()
if(TARGET storeq-hq)
  list(APPEND storeq_packages hq)
endif()
if(STOREQ_WEB_PACKAGE)
  list(APPEND storeq_packages web)
endif()

set(summary_controller "storeq store controller: the One-in-Front queue rule, feedback and queue storage")
string(CONCAT about_controller
  "The controller of a storeq store: it prompts staff to open a till as\n"
  "soon as a second customer is waiting, stores every feedback response\n"
  "once and fsynced in SQLite, and publishes the store's figures over MQTT.\n"
  "Includes the store broker's settings for mosquitto, storeq-make-tls and\n"
  "a systemd unit (installed disabled).")
set(depends_controller "adduser, mosquitto (>= 2.0), openssl, tzdata")
set(summary_kiosk "storeq kiosk: feedback, lane display, staff and manager screens")
string(CONCAT about_kiosk
  "One full-screen SDL2 program for every screen of a storeq store: the\n"
  "exit kiosk's one-tap feedback, the lane display at each till, the staff\n"
  "handheld's prompts and the manager's dashboard. Responses wait in a\n"
  "local outbox until the store has them on disk. A systemd unit runs it\n"
  "under cage (installed disabled).")
set(depends_kiosk "adduser, fonts-dejavu-core")
set(recommends_kiosk "cage")
set(summary_hq "storeq head office: every store's stream into PostgreSQL, chain reports")
string(CONCAT about_hq
  "storeq-hq lands the outbound streams of a chain's storeq stores in\n"
  "PostgreSQL, acknowledges them once committed, and publishes and prints\n"
  "the chain's figures by store, region and chain. A systemd unit is\n"
  "installed disabled.")
set(depends_hq "tzdata")
set(suggests_hq "postgresql")
set(summary_web "storeq web app: store dashboard, staff calls and chain view in a browser")
string(CONCAT about_web
  "Static pages that read a storeq store (or head office) live over MQTT\n"
  "over WebSockets: the manager's dashboard, staff calls with claims on a\n"
  "phone, and the chain's ranking. Served by nginx in front of mosquitto;\n"
  "the nginx site and the mosquitto listener are installed, not enabled.")
set(depends_web "nginx")
set(suggests_web "storeq-controller")

# Native packages: a Debian changelog and a copyright file in each package's doc directory.
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  set(storeq_changelog_date_epoch "$ENV{SOURCE_DATE_EPOCH}")
else()
  string(TIMESTAMP storeq_changelog_date_epoch "%s" UTC)
endif()
execute_process(COMMAND date -u -R -d "@${storeq_changelog_date_epoch}" OUTPUT_VARIABLE storeq_changelog_date
  OUTPUT_STRIP_TRAILING_WHITESPACE)

foreach(component IN LISTS storeq_packages)
  string(TOUPPER "${component}" COMP)
  set(package "storeq-${component}")
  set(control "${PROJECT_BINARY_DIR}/packaging/${component}")
  file(MAKE_DIRECTORY "${control}")

  file(WRITE "${control}/changelog"
    "${package} (${STOREQ_PACKAGE_VERSION}) stable; urgency=medium\n\n"
    "  * Packaged by CMake/CPack from the storeq source tree (docs/packaging.md).\n\n"
    " -- ${STOREQ_MAINTAINER}  ${storeq_changelog_date}\n")
  execute_process(COMMAND gzip -9nf "${control}/changelog")
  file(READ "${PROJECT_SOURCE_DIR}/packaging/copyright" copyright)
  if(component STREQUAL "web")
    file(READ "${PROJECT_SOURCE_DIR}/packaging/copyright-mqtt-js" mqtt_copyright)
    string(APPEND copyright "\n${mqtt_copyright}")
  endif()
  file(WRITE "${control}/copyright" "${copyright}")
  install(FILES "${control}/changelog.gz" "${control}/copyright" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${package}"
          COMPONENT ${component})

  # The lintian overrides, each with the reason in a comment (packaging/<component>/).
  if(EXISTS "${PROJECT_SOURCE_DIR}/packaging/${component}/lintian-overrides")
    install(FILES "${PROJECT_SOURCE_DIR}/packaging/${component}/lintian-overrides"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/lintian/overrides" RENAME "${package}" COMPONENT ${component})
  endif()

  # Every file under /etc is a conffile: dpkg keeps a store's edits over an upgrade.
  get_property(conffiles GLOBAL PROPERTY STOREQ_CONFFILES_${component})
  list(JOIN conffiles "\n" conffiles_text)
  file(WRITE "${control}/conffiles" "${conffiles_text}\n")
  set(extra "${control}/conffiles")
  foreach(script postinst prerm postrm)
    if(EXISTS "${PROJECT_SOURCE_DIR}/packaging/${component}/${script}")
      list(APPEND extra "${PROJECT_SOURCE_DIR}/packaging/${component}/${script}")
    endif()
  endforeach()

  set(CPACK_DEBIAN_${COMP}_PACKAGE_NAME "${package}")
  set(CPACK_DEBIAN_${COMP}_PACKAGE_CONTROL_EXTRA "${extra}")
  set(CPACK_DEBIAN_${COMP}_DESCRIPTION "${summary_${component}}\n${about_${component}}")
  set(CPACK_COMPONENT_${COMP}_DESCRIPTION "${summary_${component}}\n${about_${component}}")
  set(CPACK_DEBIAN_${COMP}_PACKAGE_DEPENDS "${depends_${component}}")
  if(DEFINED recommends_${component})
    set(CPACK_DEBIAN_${COMP}_PACKAGE_RECOMMENDS "${recommends_${component}}")
  endif()
  if(DEFINED suggests_${component})
    set(CPACK_DEBIAN_${COMP}_PACKAGE_SUGGESTS "${suggests_${component}}")
  endif()
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME storeq)
set(CPACK_PACKAGE_VERSION "${STOREQ_PACKAGE_VERSION}")
set(CPACK_PACKAGE_CONTACT "${STOREQ_MAINTAINER}")
set(CPACK_PACKAGE_VENDOR storeq)
set(CPACK_PACKAGE_HOMEPAGE_URL "https://example.org/storeq")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${storeq_packages})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "${STOREQ_DEB_ARCH}")
set(CPACK_DEBIAN_WEB_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the binaries' real shared libraries (dpkg-shlibdeps), added to the lists above.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The packages install to /usr, and their /etc and /lib/systemd files by absolute path.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
# Maintainer scripts 0755 and conffiles 0644, as dpkg and lintian want them.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# cpack installs what is built; scripts/package builds only the packaged programs (not the
# benchmarks and tests that "all" holds), so the install does not build "all" first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_PROJECT_CONFIG_FILE "${PROJECT_SOURCE_DIR}/packaging/cpack-project.cmake")
include(CPack)
