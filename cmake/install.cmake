# `cmake --install` by GNUInstallDirs, one component per Debian package (cmake/packaging.cmake):
#   controller  storeq-controller, storeq-make-tls, its unit, /etc/storeq/{store.conf,controller.env},
#               the broker's settings in /etc/storeq/mosquitto/storeq.conf
#   kiosk       storeq-kiosk, its unit, /etc/storeq/{kiosk.conf,kiosk.env}, the language files
#   hq          storeq-hq, its unit, /etc/storeq/{hq.env,chain.tree}
#   web         the web app's files, nginx's site (sites-available only), the websockets listener
#   sim         storeq-sim: demo and tests only, in no package (it would feed made-up shoppers
#               into a real store's figures); `cmake --install --component sim` installs it
# With CMAKE_INSTALL_PREFIX=/usr (the packages) the configuration lands in /etc
# (GNUInstallDirs' rule for /usr); with /usr/local, in /usr/local/etc. The units are
# configured with the paths they really use after install.
include(GNUInstallDirs)

set(STOREQ_CONF_DIR "${CMAKE_INSTALL_FULL_SYSCONFDIR}/storeq")
set(STOREQ_DATA_DIR "${CMAKE_INSTALL_FULL_DATADIR}/storeq")
# Units live in /lib/systemd/system on Debian 12 (systemd.pc's systemdsystemunitdir), also
# for a /usr/local install: systemd reads no other place for packaged units.
set(STOREQ_UNIT_DIR "/lib/systemd/system" CACHE PATH "Where the systemd units are installed")

# Configuration files, each remembered per component: cmake/packaging.cmake lists them as
# the package's conffiles, so an upgrade never overwrites a store's edits.
function(storeq_install_conffile component source dest_dir name)
  install(FILES "${source}" DESTINATION "${dest_dir}" RENAME "${name}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
          COMPONENT ${component})
  set_property(GLOBAL APPEND PROPERTY STOREQ_CONFFILES_${component} "${dest_dir}/${name}")
endfunction()

function(storeq_install_unit component template)
  get_filename_component(unit "${template}" NAME_WLE)
  configure_file("${template}" "${PROJECT_BINARY_DIR}/systemd/${unit}" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/systemd/${unit}" DESTINATION "${STOREQ_UNIT_DIR}" COMPONENT ${component})
endfunction()

set(src "${PROJECT_SOURCE_DIR}")

# A man page per installed program, made from its --help (cmake/help_to_man.cmake; through
# the emulator in a cross build). Built with the program, installed with its component.
add_custom_target(storeq_man_pages ALL)
function(storeq_install_man_page component program summary)
  cmake_parse_arguments(arg "" "HELP_ARG;COMMAND;DEPENDS" "" ${ARGN})
  if(NOT arg_HELP_ARG)
    set(arg_HELP_ARG --help)
  endif()
  if(NOT arg_COMMAND)
    set(arg_COMMAND "$<TARGET_FILE:${program}>")
    set(arg_DEPENDS ${program})
    set(emulator "${CMAKE_CROSSCOMPILING_EMULATOR}")
  endif()
  set(page "${PROJECT_BINARY_DIR}/man/${program}.1.gz")
  add_custom_command(OUTPUT "${page}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${PROJECT_BINARY_DIR}/man"
    COMMAND ${CMAKE_COMMAND} "-DPROGRAM=${arg_COMMAND}" "-DEMULATOR=${emulator}" "-DNAME=${program}"
            "-DSUMMARY=${summary}" "-DHELP_ARG=${arg_HELP_ARG}" "-DVERSION=${PROJECT_VERSION}" "-DOUT=${page}"
            -P "${PROJECT_SOURCE_DIR}/cmake/help_to_man.cmake"
    DEPENDS ${arg_DEPENDS} "${PROJECT_SOURCE_DIR}/cmake/help_to_man.cmake" VERBATIM)
  add_custom_target(storeq_man_${program} DEPENDS "${page}")
  add_dependencies(storeq_man_pages storeq_man_${program})
  install(FILES "${page}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT ${component})
endfunction()

# --- controller ---------------------------------------------------------------------------
install(TARGETS storeq-controller RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT controller)
install(PROGRAMS "${src}/systemd/storeq-make-tls" DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT controller)
storeq_install_man_page(controller storeq-controller "the storeq store controller")
# The script prints its usage for anything but DIR NAME... (and exits 2).
storeq_install_man_page(controller storeq-make-tls "make a storeq store's CA and the broker's TLS certificate"
  COMMAND "${src}/systemd/storeq-make-tls" DEPENDS "${src}/systemd/storeq-make-tls")
storeq_install_unit(controller "${src}/systemd/storeq-controller.service.in")
storeq_install_conffile(controller "${src}/assets/store.conf.example" "${STOREQ_CONF_DIR}" store.conf)
storeq_install_conffile(controller "${src}/systemd/controller.env" "${STOREQ_CONF_DIR}" controller.env)
# Not in /etc/mosquitto/conf.d: mosquitto would load it at its next restart, before the
# accounts it names exist (provision makes them). docs/packaging.md links it in.
storeq_install_conffile(controller "${src}/systemd/mosquitto-storeq.conf" "${STOREQ_CONF_DIR}/mosquitto" storeq.conf)

# --- kiosk --------------------------------------------------------------------------------
if(TARGET storeq-kiosk)
  install(TARGETS storeq-kiosk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
  storeq_install_man_page(kiosk storeq-kiosk "the storeq kiosk: feedback, lane, staff and manager screens")
  # kiosk_setup.cpp finds them beside the binary: <bindir>/../share/storeq/kiosk/lang.
  install(DIRECTORY "${src}/assets/kiosk/lang" DESTINATION "${CMAKE_INSTALL_DATADIR}/storeq/kiosk" COMPONENT kiosk)
  storeq_install_unit(kiosk "${src}/systemd/storeq-kiosk.service.in")
  storeq_install_conffile(kiosk "${src}/assets/kiosk/kiosk.conf.example" "${STOREQ_CONF_DIR}" kiosk.conf)
  storeq_install_conffile(kiosk "${src}/systemd/kiosk.env" "${STOREQ_CONF_DIR}" kiosk.env)
endif()

# --- hq -----------------------------------------------------------------------------------
if(TARGET storeq-hq)
  install(TARGETS storeq-hq RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT hq)
  storeq_install_man_page(hq storeq-hq "storeq head office: store streams into PostgreSQL, chain reports")
  storeq_install_unit(hq "${src}/systemd/storeq-hq.service.in")
  storeq_install_conffile(hq "${src}/systemd/hq.env" "${STOREQ_CONF_DIR}" hq.env)
  storeq_install_conffile(hq "${src}/systemd/chain.tree" "${STOREQ_CONF_DIR}" chain.tree)
endif()

# --- web ----------------------------------------------------------------------------------
# What the pages load, and nothing else: no tests (they are in tests/web), no serve/ or npm
# files, and of node_modules only MQTT.js's browser build (what nginx-storeq.conf lets out).
set(STOREQ_MQTT_JS "${src}/web/node_modules/mqtt/dist/mqtt.min.js")
if(EXISTS "${STOREQ_MQTT_JS}")
  set(STOREQ_WEB_PACKAGE ON)
  install(FILES "${src}/web/index.html" DESTINATION "${CMAKE_INSTALL_DATADIR}/storeq/web" COMPONENT web)
  install(DIRECTORY "${src}/web/common" "${src}/web/store" "${src}/web/staff" "${src}/web/chain"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/storeq/web" COMPONENT web)
  install(FILES "${STOREQ_MQTT_JS}" DESTINATION "${CMAKE_INSTALL_DATADIR}/storeq/web/node_modules/mqtt/dist" COMPONENT web)
  # sites-available only: the IT person enables it (docs/packaging.md); nothing serves by surprise.
  # Its root is where the pages are installed (/usr/share/storeq/web from the package).
  file(READ "${src}/web/serve/nginx-storeq.conf" site)
  string(REPLACE "root /usr/share/storeq/web;" "root ${STOREQ_DATA_DIR}/web;" site "${site}")
  file(WRITE "${PROJECT_BINARY_DIR}/web/nginx-storeq.conf" "${site}")
  storeq_install_conffile(web "${PROJECT_BINARY_DIR}/web/nginx-storeq.conf" "${CMAKE_INSTALL_FULL_SYSCONFDIR}/nginx/sites-available" storeq)
  storeq_install_conffile(web "${src}/web/serve/mosquitto-websockets.conf" "${STOREQ_CONF_DIR}/mosquitto" storeq_web.conf)
else()
  set(STOREQ_WEB_PACKAGE OFF)
  message(STATUS "web/node_modules/mqtt is not installed (scripts/deps runs npm ci): the web app is not installed")
endif()

# --- sim ----------------------------------------------------------------------------------
install(TARGETS storeq-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT sim EXCLUDE_FROM_ALL)
