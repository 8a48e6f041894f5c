# Writes a header naming the MD5 digest of the implementation the loader
# loads. The digest becomes part of the loader's bytes, so that tools that
# hash the plugin file they are given (ccache hashes -fplugin= files) see a
# new plugin whenever the implementation changes.
# Usage: cmake -DIMPLEMENTATION=FILE -DOUTPUT=HEADER -P ImplementationDigest.cmake
file(MD5 "${IMPLEMENTATION}" digest)
set(text "#define FORKSAFETY_IMPLEMENTATION_DIGEST \"${digest}\"\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL text)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${text}")
