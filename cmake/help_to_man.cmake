# A man page from a program's own --help, so the two never disagree (lintian wants one per
# program in /usr/bin). Run at build time by cmake/install.cmake:
#   cmake -DPROGRAM=... [-DEMULATOR=...] -DNAME=... -DSUMMARY=... -DHELP_ARG=--help -DOUT=name.1.gz -P help_to_man.cmake
# The help text goes in verbatim (no-fill), as the terminal shows it.
execute_process(COMMAND ${EMULATOR} ${PROGRAM} ${HELP_ARG} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
# The help on stdout; a script that prints its usage on stderr (storeq-make-tls) has none there.
set(text "${out}")
if(text STREQUAL "")
  set(text "${err}")
endif()
if(text STREQUAL "")
  message(FATAL_ERROR "${PROGRAM} ${HELP_ARG} printed nothing (exit ${rc})")
endif()
# roff: a backslash is \e, and a line may not start with '.' or '\''.
string(REPLACE "\\" "\\e" text "${text}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
string(TOUPPER "${NAME}" upper)
file(WRITE "${OUT}.tmp"
  ".TH ${upper} 1 \"\" \"storeq ${VERSION}\" \"storeq\"\n"
  ".SH NAME\n${NAME} \\- ${SUMMARY}\n"
  ".SH DESCRIPTION\nWhat\n.B ${NAME} ${HELP_ARG}\nprints:\n.PP\n.nf\n${text}.fi\n"
  ".SH SEE ALSO\nThe storeq documentation: docs/commands.md and docs/packaging.md in its source tree.\n")
execute_process(COMMAND gzip -9n -c "${OUT}.tmp" OUTPUT_FILE "${OUT}" RESULT_VARIABLE gz)
file(REMOVE "${OUT}.tmp")
if(NOT gz EQUAL 0)
  message(FATAL_ERROR "gzip failed for ${OUT}")
endif()
