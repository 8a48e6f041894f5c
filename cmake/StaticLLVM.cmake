# forksafety_static_llvm_libs(<target>) defines the interface target
# <target>: the libraries an executable links for LLVM and Clang. With
# FORKSAFETY_STATIC_LLVM and the static archives of LLVM and Clang
# installed, those archives, in one group so that their order does not
# matter (the linker takes only the members the executable needs);
# otherwise forksafety_llvm_libs, the shared libraries.
#
# Clang's exported static targets name the shared libLLVM as their
# dependency (distributions build with LLVM_LINK_LLVM_DYLIB), which would
# load it after all: the archives are linked as files, next to the system
# libraries LLVM's own targets declare.

# What to link for \p library, a dependency an LLVM target declares, in
# \p out: an archive's file, a system library's file or name, or empty when
# it is not installed. LLVM's package names the compression and network
# libraries by the targets of their own CMake packages, which are not always
# installed (Debian's zstd has none).
function(forksafety_system_library library out)
  string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" library "${library}")
  set(file "")
  if(library MATCHES "^(LLVM|clang|Polly)")
    # Another archive: linked in the group, if installed.
    if(TARGET ${library})
      get_target_property(type ${library} TYPE)
      get_target_property(location ${library} LOCATION)
      if(type STREQUAL "STATIC_LIBRARY" AND EXISTS "${location}")
        set(file "${location}")
      endif()
    endif()
  elseif(TARGET ${library} OR IS_ABSOLUTE "${library}")
    set(file "${library}")
  else()
    # A plain name (rt, dl) is linked by name; a package's target by the
    # file of the library it stands for.
    set(name "${library}")
    if(library MATCHES "::")
      string(REGEX REPLACE "::.*" "" name "${library}")
      string(TOLOWER "${name}" name)
      if(name STREQUAL "zlib")
        set(name z)
      endif()
    endif()
    find_library(FORKSAFETY_LIB${name} NAMES ${name} lib${name}.so.1)
    mark_as_advanced(FORKSAFETY_LIB${name})
    if(FORKSAFETY_LIB${name} AND library MATCHES "::")
      set(file "${FORKSAFETY_LIB${name}}")
    elseif(FORKSAFETY_LIB${name})
      set(file "${library}")
    endif()
  endif()
  set(${out} "${file}" PARENT_SCOPE)
endfunction()

# The system libraries the static archive of target \p name needs, in
# \p out; \p found is false when one is not installed, which makes it an
# archive the tool does not need (debuginfod's libcurl, the line editor's
# libedit). Clang's archives depend on nothing but LLVM and one another.
function(forksafety_archive_needs name found out)
  set(libraries)
  set(${found} TRUE PARENT_SCOPE)
  if(name MATCHES "^LLVM")
    get_target_property(dependencies ${name} INTERFACE_LINK_LIBRARIES)
    foreach(dependency IN LISTS dependencies)
      if(NOT dependency)
        continue()
      endif()
      forksafety_system_library("${dependency}" library)
      if(NOT library)
        set(${found} FALSE PARENT_SCOPE)
        return()
      endif()
      if(NOT library MATCHES "/lib(LLVM|clang)[^/]*[.]a$")
        list(APPEND libraries "${library}")
      endif()
    endforeach()
  endif()
  set(${out} "${libraries}" PARENT_SCOPE)
endfunction()

function(forksafety_static_llvm_libs target)
  add_library(${target} INTERFACE)
  if(NOT FORKSAFETY_STATIC_LLVM)
    target_link_libraries(${target} INTERFACE forksafety_llvm_libs)
    return()
  endif()
  set(archives)
  set(system_libs)
  set(required clangTooling clangFrontend clangAST clangTidy LLVMSupport LLVMObject)
  foreach(name IN LISTS CLANG_EXPORTED_TARGETS LLVM_AVAILABLE_LIBS)
    if(NOT TARGET ${name} OR NOT name MATCHES "^(clang|LLVM)")
      continue()
    endif()
    get_target_property(type ${name} TYPE)
    get_target_property(location ${name} LOCATION)
    if(NOT type STREQUAL "STATIC_LIBRARY" OR NOT EXISTS "${location}")
      continue()
    endif()
    forksafety_archive_needs(${name} found libraries)
    if(found)
      list(APPEND archives "${location}")
      list(APPEND system_libs ${libraries})
      list(REMOVE_ITEM required ${name})
    endif()
  endforeach()
  if(required)
    message(STATUS "forksafety: no usable static ${required}; bin/forksafety links the shared LLVM and Clang libraries")
    target_link_libraries(${target} INTERFACE forksafety_llvm_libs)
    return()
  endif()
  list(REMOVE_DUPLICATES system_libs)
  list(LENGTH archives count)
  message(STATUS "forksafety: bin/forksafety links ${count} static LLVM and Clang libraries")
  target_link_libraries(${target} INTERFACE forksafety_llvm_headers
    "-Wl,--start-group" ${archives} "-Wl,--end-group"
    # Only the system libraries of the members linked stay dependencies.
    "-Wl,--as-needed" ${system_libs} "-Wl,--no-as-needed")
  # A position-independent executable holding all of LLVM carries about
  # 220,000 relative relocations: applying them, and copying the pages they
  # write, took 2.7 of the 4.8 ms every run starts with.
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-no-pie" FORKSAFETY_LINKER_NO_PIE)
  if(FORKSAFETY_LINKER_NO_PIE)
    target_link_options(${target} INTERFACE "-no-pie")
  endif()
endfunction()
