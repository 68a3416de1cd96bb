// Registers only the Element Plus components the app uses, so the bundle does not carry
// the whole library. The stylesheet is imported whole (small once gzip'd).
import 'element-plus/dist/index.css'
import {
  ElAlert,
  ElAside,
  ElButton,
  ElCard,
  ElCascader,
  ElCol,
  ElConfigProvider,
  ElContainer,
  ElDatePicker,
  ElDescriptions,
  ElDescriptionsItem,
  ElDialog,
  ElDivider,
  ElDrawer,
  ElEmpty,
  ElForm,
  ElFormItem,
  ElHeader,
  ElIcon,
  ElInput,
  ElInputNumber,
  ElLoading,
  ElMain,
  ElMenu,
  ElMenuItem,
  ElOption,
  ElOptionGroup,
  ElPagination,
  ElRadioButton,
  ElRadioGroup,
  ElRow,
  ElScrollbar,
  ElSelect,
  ElTable,
  ElTableColumn,
  ElTag,
  ElTooltip,
  ElTree,
} from 'element-plus'

const components = [
  ElAlert, ElAside, ElButton, ElCard, ElCascader, ElCol, ElConfigProvider, ElContainer,
  ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDrawer, ElEmpty,
  ElForm, ElFormItem, ElHeader, ElIcon, ElInput, ElInputNumber, ElMain, ElMenu, ElMenuItem,
  ElOption, ElOptionGroup, ElPagination, ElRadioButton, ElRadioGroup, ElRow, ElScrollbar,
  ElSelect, ElTable, ElTableColumn, ElTag, ElTooltip, ElTree,
]

// Vue plugin: app.use(element)
export default {
  install(app) {
    for (const c of components) app.use(c)
    app.use(ElLoading)
  },
}
