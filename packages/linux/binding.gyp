{
  "targets": [
    {
      "target_name": "edrkit_linux",
      "sources": ["../../native/linux/addon.c", "../../native/linux/libelf-error.c", "../../native/linux/libbpf-stderr.c"],
      "include_dirs": ["../../native/linux", "../../native/linux/.output"],
      "libraries": [
        "-Wl,--exclude-libs,ALL",
        "-l:libbpf.a", "-l:libelf.a", "-l:libz.a"
      ],
      "cflags": ["-std=gnu11", "-Wall", "-Wno-unused-parameter", "-fvisibility=hidden"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [["OS!='linux'", {"type": "none"}]]
    }
  ]
}
