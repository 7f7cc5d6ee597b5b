{
  "targets": [
    {
      "target_name": "edrkit_linux",
      "sources": ["../../native/linux/addon.c"],
      "include_dirs": ["../../native/linux"],
      "libraries": ["-lbpf", "-lelf", "-lz"],
      "cflags": ["-std=gnu11", "-Wall", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [["OS!='linux'", {"type": "none"}]]
    }
  ]
}
