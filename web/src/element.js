// Registers the whole Element Plus library. The first version registered only the
// components in use; with three modules (enterprises, market, plans) growing in parallel
// that list became a merge hotspot and a source of "unknown <el-…>" bugs, and the full
// library costs ~110 KB more gzip'd in a lazily cached vendor chunk — acceptable for an
// admin system (RuoYi-Vue3 does the same). The e2e test still checks that no unknown
// <el-…> element renders.
import 'element-plus/dist/index.css'
import ElementPlus from 'element-plus'

// Vue plugin: app.use(element)
export default {
  install(app) {
    app.use(ElementPlus)
  },
}
