import streamlit as st

from ui import state

st.title("5_bien_etre")
st.write(state.selection().filters)
