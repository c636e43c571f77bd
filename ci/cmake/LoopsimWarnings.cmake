# Warnings for project code: on, and treated as errors, so the tree stays warning-free.
function(loopsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter
                                           -Wnon-virtual-dtor -Werror)
endfunction()
