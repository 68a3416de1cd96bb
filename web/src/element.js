// Registers only the Element Plus components the app uses, so the bundle does not carry
// the whole library. Sub-components (ElOption, ElTableColumn, ElFormItem, ElRadioGroup,
// ElMenuItem, ElAside, ElDropdownMenu, ElDropdownItem …) are registered by their parent's install: register the parent.
// A component missing here renders as an unknown <el-…> element; the e2e test checks
// for those. The stylesheet is imported whole (small once gzip'd).
import 'element-plus/dist/index.css'
import {
  ElAlert,
  ElButton,
  ElCascader,
  ElCol,
  ElConfigProvider,
  ElContainer,
  ElDatePicker,
  ElDescriptions,
  ElDialog,
  ElDrawer,
  ElDropdown,
  ElEmpty,
  ElForm,
  ElIcon,
  ElInput,
  ElInputNumber,
  ElLoading,
  ElMenu,
  ElPagination,
  ElRadio,
  ElRow,
  ElScrollbar,
  ElSelect,
  ElTable,
  ElTag,
  ElTree,
} from 'element-plus'

const components = [
  ElAlert, ElButton, ElCascader, ElCol, ElConfigProvider, ElContainer,
  ElDatePicker, ElDescriptions, ElDialog, ElDrawer, ElDropdown, ElEmpty,
  ElForm, ElIcon, ElInput, ElInputNumber, ElMenu,
  ElPagination, ElRadio, ElRow, ElScrollbar,
  ElSelect, ElTable, ElTag, ElTree,
]

// Vue plugin: app.use(element)
export default {
  install(app) {
    for (const c of components) app.use(c)
    app.use(ElLoading)
  },
}
