{
  "targets": [
    {
      "target_name": "edrkit_macos",
      "conditions": [
        ["OS=='mac'", {
          "sources": [
            "../../native/macos/src/addon.c",
            "../../native/macos/src/es_record.c",
            "../../native/macos/src/es_json.c",
            "../../native/macos/src/es_events_fs.c",
            "../../native/macos/src/es_events_auth.c"
          ],
          "include_dirs": ["../../native/macos/src"],
          "libraries": ["-lEndpointSecurity", "-lbsm"],
          "defines": ["NAPI_VERSION=8"],
          "xcode_settings": {
            "MACOSX_DEPLOYMENT_TARGET": "13.0",
            "OTHER_CFLAGS": ["-std=gnu11", "-fblocks", "-Wall", "-Wno-unused-parameter"]
          }
        }, {
          "type": "none"
        }]
      ]
    }
  ]
}
